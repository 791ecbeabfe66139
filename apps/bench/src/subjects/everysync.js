import { Worker } from 'node:worker_threads'
import { tasksUrl as sharedTasksUrl } from '../tasks/url.js'
import { tryImport } from './try-import.js'

const { module: everysync, reason } = await tryImport('everysync')

const workerFile = new URL('../tasks/everysync-worker.mjs', import.meta.url)

/**
 * everysync as its README shows: the caller makes a growable SharedArrayBuffer, starts a worker
 * that `wire`s an API object to it, and calls `makeSync(buffer)`'s methods. Its npm name holds no
 * release (only the GitHub repository has the code), so it runs here only once it is installed.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'everysync',
  available: () =>
    reason &&
    `${reason} (it has no release on the npm registry; install it from its repository to include it)`,
  create(tasksUrl) {
    if (tasksUrl.href !== sharedTasksUrl.href)
      throw new Error('the everysync wrapper runs src/tasks/impl.mjs only')
    const buffer = new SharedArrayBuffer(1024, { maxByteLength: 64 * 1024 * 1024 })
    const worker = new Worker(workerFile, { workerData: { data: buffer } })
    /** @type {Record<string, (arg: unknown) => unknown>} */
    const api = everysync.makeSync(buffer)
    return { call: (name, arg) => api[name](arg), close: () => void worker.terminate() }
  },
}
