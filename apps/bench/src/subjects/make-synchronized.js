import { tryImport } from './try-import.js'

const { module, reason } = await tryImport('make-synchronized')

/**
 * make-synchronized on the tasks module as its README shows: `makeSynchronized(url)` gives the
 * module's exports as synchronous functions (one worker thread, kept for the process's life).
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'make-synchronized',
  available: () => reason,
  create(tasksUrl) {
    /** @type {Record<string, (arg: unknown) => unknown>} */
    const tasks = module.default(tasksUrl)
    // No close: the worker is unref'd and ends with the process.
    return { call: (name, arg) => tasks[name](arg), close() {} }
  },
}
