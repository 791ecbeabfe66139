import { taskFunctionSource } from '../tasks/make-synchronous-task.js'
import { tryImport } from './try-import.js'

const { module, reason } = await tryImport('make-synchronous')

/** make-synchronous's default entry: one cached worker thread per wrapped function. */
/** @type {import('./index.js').Subject} */
export default {
  name: 'make-synchronous',
  available: () => reason,
  create(tasksUrl) {
    const fn = module.default(taskFunctionSource(tasksUrl))
    // No close: the worker is unref'd and ends with the process.
    return { call: (name, arg) => fn(name, arg), close() {} }
  },
}
