import { poolSize } from '../pool-size.js'
import { tryImport } from './try-import.js'

const { module: core, reason } = await tryImport('@palitra/core')

/**
 * The batch methods of design.md (`runner.all`, `runner.map`); a build without them fails the
 * batch workloads with this reason rather than falling back to a loop.
 * @param {any} runner
 * @param {'all' | 'map'} method
 */
function batch(runner, method) {
  if (typeof runner[method] !== 'function')
    throw new Error(`runner.${method} is not in this build of @palitra/core`)
  return runner[method].bind(runner)
}

/**
 * A palitra backend through the public API, named by string as an application would: core finds
 * the installed backend package itself. The package is imported when the subject loads, as every
 * peer's is, so start-up measures the same thing for all: a new runner to its first result, not
 * loading a library (core resolving the name is still counted). A backend that is not installed
 * or not supported here throws ERR_PALITRA_UNAVAILABLE from createRunner or the first call; the
 * harness reports that.
 * @param {'worker' | 'deasync' | 'subprocess'} backend
 * @param {{ module?: any, reason?: string }} backendPackage  the backend package, imported
 * @returns {import('./index.js').Subject}
 */
export function palitraSubject(backend, backendPackage) {
  return {
    name: backend,
    available: () => reason ?? backendPackage.reason,
    create(tasksUrl) {
      const runner = core.createRunner(tasksUrl, { backend })
      return instanceOf(runner)
    },
  }
}

/**
 * A pooled palitra backend: `workerBackend({ pool: { size } })` or the subprocess one, one host
 * per core. A build whose backend ignores `pool` (capabilities.parallel not true) fails here
 * instead of being measured as a single host under the pool's name.
 * @param {'worker' | 'subprocess'} backend
 * @param {{ module?: any, reason?: string }} backendPackage  the backend package, imported
 * @returns {import('./index.js').Subject}
 */
export function palitraPoolSubject(backend, backendPackage) {
  return {
    name: `${backend}-pool`,
    available: () => reason ?? backendPackage.reason,
    create(tasksUrl) {
      const factory = backendPackage.module[`${backend}Backend`]
      const runner = core.createRunner(tasksUrl, {
        backend: factory({ pool: { size: poolSize() } }),
      })
      if (runner.backend.capabilities.parallel !== true) {
        runner.close()
        throw new Error(
          `@palitra/backend-${backend} in this build has no pool (capabilities.parallel is not true)`,
        )
      }
      return instanceOf(runner)
    },
  }
}

/** @param {any} runner @returns {import('./index.js').Instance} */
function instanceOf(runner) {
  return {
    call: (name, arg) => runner.call(name, arg),
    all: (calls) => batch(runner, 'all')(calls),
    map: (name, inputs) => batch(runner, 'map')(name, inputs),
    close: () => runner.close(),
  }
}
