/**
 * `@palitra/pool`: several hosts for one runner (worker threads or child processes), managed by
 * tinypool in a relay thread behind the shared-buffer channel. Used by `workerBackend({ pool })`
 * and `subprocessBackend({ pool })`.
 */

export type { IpcSerialization } from './ipc.js'
export {
  defaultPoolOptions,
  type PoolOptions,
  type ResolvedPoolOptions,
  resolvePoolOptions,
} from './options.js'
export { createPoolSession, type PoolSessionOptions } from './session.js'
