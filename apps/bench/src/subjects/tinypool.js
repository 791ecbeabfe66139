import { fileURLToPath } from 'node:url'
import { poolSize } from '../pool-size.js'
import { tryImport } from './try-import.js'

const { module, reason } = await tryImport('tinypool')

const workerFile = fileURLToPath(new URL('../tasks/tinypool-worker.mjs', import.meta.url))

/**
 * tinypool used directly from async code, as an application with no sync caller would: the floor
 * of palitra's pooled path (palitra's pools are built on it). A worker may run many I/O-bound
 * tasks at once (`concurrentTasksPerWorker`), as a user awaiting timers or sockets would set it;
 * CPU-bound tasks still share a worker's one thread.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'tinypool',
  async: true,
  available: () => reason,
  create() {
    const size = poolSize()
    const pool = new module.Tinypool({
      filename: workerFile,
      minThreads: size,
      maxThreads: size,
      concurrentTasksPerWorker: 128,
    })
    /** @param {string} name @param {unknown} arg */
    const run = (name, arg) => pool.run({ name, arg })
    return {
      call: run,
      all: (/** @type {Array<[string, unknown]>} */ calls) =>
        Promise.all(calls.map(([name, arg]) => run(name, arg))),
      map: (/** @type {string} */ name, /** @type {unknown[]} */ inputs) =>
        Promise.all(inputs.map((arg) => run(name, arg))),
      close: () => pool.destroy(),
    }
  },
}
