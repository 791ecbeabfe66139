import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { taskFunctionSource } from '../tasks/make-synchronous-task.js'
import { tryImport } from './try-import.js'

const entry = 'make-synchronous/subprocess'
const { module, reason } = await tryImport(entry)

/** make-synchronous's subprocess entry: `node -` is spawned for every call, state is not kept. */
/** @type {import('./index.js').Subject} */
export default {
  name: 'make-synchronous-subprocess',
  available: () => reason,
  create(tasksUrl) {
    // The module it pipes into `node --input-type=module -` imports its own dependency (subsume)
    // relative to the working directory; under pnpm's isolated node_modules that resolves only
    // from the package's own folder. This process is a measurement child, so chdir is harmless.
    process.chdir(path.dirname(fileURLToPath(import.meta.resolve(entry))))
    const fn = module.default(taskFunctionSource(tasksUrl))
    return { call: (name, arg) => fn(name, arg), close() {} }
  },
}
