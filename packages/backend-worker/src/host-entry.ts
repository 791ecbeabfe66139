/**
 * Entry of the worker thread that hosts a tasks module. The tasks module's import starts first,
 * to read its files while the host is compiled; the host (host-body.ts) comes from the V8 code
 * cache when there is one (see compile-cache.ts).
 */
import { compileCacheDirectory, runCachedScript } from './compile-cache.js'

const { workerData } = process.getBuiltinModule('node:worker_threads')
const loading: Promise<unknown> = import(workerData.init.moduleUrl)
// Reported by the host's load; unheard until then, it is no unhandled rejection.
loading.catch(() => {})

const body = runCachedScript(
  new URL('./host-body.js', import.meta.url),
  ['loadTasks', 'afterFirstReply'],
  compileCacheDirectory(),
)
;(body.value as (loadTasks: () => Promise<unknown>, afterFirstReply: () => void) => void)(
  () => loading,
  // At once, not later: a runner closed after one call (a CLI, a start-up) would never write it.
  // It costs only the run that has no valid cache.
  body.save,
)
