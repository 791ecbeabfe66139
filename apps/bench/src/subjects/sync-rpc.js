import { fileURLToPath } from 'node:url'
import { tryImport } from './try-import.js'

const { module, reason } = await tryImport('sync-rpc')
const rpc = module?.default

// sync-rpc loads a CommonJS module exporting init(arg) => (message) => Promise.
const workerFile = fileURLToPath(new URL('../tasks/sync-rpc-worker.cjs', import.meta.url))

/**
 * sync-rpc: one persistent server process (on a loopback port); every call spawns a client
 * process (`nc` when it is on PATH, else `node -e`) that relays one JSON message to it.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'sync-rpc',
  available: () => reason,
  note: () =>
    rpc?.configuration?.fastestFunction?.name === 'nativeNC'
      ? 'spawns nc per call'
      : 'spawns node per call (no nc on PATH)',
  create(tasksUrl) {
    const client = rpc(workerFile, tasksUrl.href)
    // No close: its server process is killed when this process exits.
    return { call: (name, arg) => client({ name, arg }), close() {} }
  },
}
