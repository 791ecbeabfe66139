import { fileURLToPath } from 'node:url'
import { tasksUrl as sharedTasksUrl } from '../tasks/url.js'
import { tryImport } from './try-import.js'

const { module: synckit, reason } = await tryImport('synckit')

// synckit runs a worker *file* that calls runAsWorker(fn): that wrapper imports the shared tasks.
const workerFile = fileURLToPath(new URL('../tasks/synckit-worker.mjs', import.meta.url))

/** @type {import('./index.js').Subject} */
export default {
  name: 'synckit',
  available: () => reason,
  create(tasksUrl) {
    if (tasksUrl.href !== sharedTasksUrl.href)
      throw new Error('the synckit wrapper runs src/tasks/impl.mjs only')
    // Note: synckit caches one sync function (one worker) per worker file and process.
    const fn = synckit.createSyncFn(workerFile)
    // synckit has no close: its worker is unref'd and ends with the process.
    return { call: (name, arg) => fn(name, arg), close() {} }
  },
}
