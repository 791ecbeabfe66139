import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { implUrl } from './shared.js'

export default {
  name: 'sync-rpc',
  create() {
    const rpc = createRequire(import.meta.url)('sync-rpc')
    const client = rpc(
      fileURLToPath(new URL('../tasks/sync-rpc-worker.cjs', import.meta.url)),
      implUrl,
    )
    return { call: (name, arg) => client({ name, arg }), close() {} }
  },
}
