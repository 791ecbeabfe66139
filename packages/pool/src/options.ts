import { availableParallelism } from 'node:os'
import { errors } from '@palitra/core/backend'

/**
 * `pool` of `workerBackend` / `subprocessBackend`: several hosts, each with its own instance of
 * the tasks module (module state is per host), managed by tinypool.
 */
export interface PoolOptions {
  /** How many hosts at most (tinypool's `maxThreads`): a whole number >= 1. Default: `os.availableParallelism()`. */
  size?: number
  /** Hosts kept running while idle (tinypool's `minThreads`), at most `size`. Default: `size`. */
  minSize?: number
  /**
   * How long a host beyond `minSize` may sit idle before it is ended (its `teardown` runs), in
   * ms. Default: 0 (hosts beyond `minSize` end as soon as they are idle).
   */
  idleTimeout?: number
  /**
   * Replace a host once a call leaves its heap (`heapUsed`) above this many bytes; the fresh
   * host loads the module anew, so its state starts over. Default: `undefined` (never).
   */
  maxHeapBeforeRecycle?: number
}

export interface ResolvedPoolOptions {
  readonly size: number
  readonly minSize: number
  readonly idleTimeout: number
  readonly maxHeapBeforeRecycle: number | undefined
}

/** Every pool default, in one place (each stated in the field's JSDoc). */
export const defaultPoolOptions = Object.freeze({
  size: () => availableParallelism(),
  idleTimeout: 0,
  maxHeapBeforeRecycle: undefined,
})

const knownKeys = new Set(['size', 'minSize', 'idleTimeout', 'maxHeapBeforeRecycle'])

function wholeNumber(backend: string, name: string, value: unknown, least: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw errors.expected({
      backend,
      name: `pool.${name}`,
      expected: `a whole number >= ${least}`,
      value,
    })
  }
  return value
}

/** Check `pool` and fill its defaults; a bad field is ERR_PALITRA_INVALID_ARGUMENT. */
export function resolvePoolOptions(backend: string, pool: unknown): ResolvedPoolOptions {
  if (pool === null || typeof pool !== 'object' || Array.isArray(pool)) {
    throw errors.expected({ backend, name: 'pool', expected: 'an object', value: pool })
  }
  for (const key of Object.keys(pool)) {
    if (!knownKeys.has(key)) {
      throw errors.invalidArgument({
        backend,
        message: `unknown pool option "${key}"; known pool options: ${[...knownKeys].join(', ')}`,
      })
    }
  }
  const given = pool as PoolOptions
  const size =
    given.size === undefined
      ? defaultPoolOptions.size()
      : wholeNumber(backend, 'size', given.size, 1)
  const minSize =
    given.minSize === undefined ? size : wholeNumber(backend, 'minSize', given.minSize, 0)
  if (minSize > size) {
    throw errors.invalidArgument({
      backend,
      message: `pool.minSize (${minSize}) must not be larger than pool.size (${size})`,
    })
  }
  const idleTimeout =
    given.idleTimeout === undefined
      ? defaultPoolOptions.idleTimeout
      : wholeNumber(backend, 'idleTimeout', given.idleTimeout, 0)
  const maxHeapBeforeRecycle =
    given.maxHeapBeforeRecycle === undefined
      ? defaultPoolOptions.maxHeapBeforeRecycle
      : wholeNumber(backend, 'maxHeapBeforeRecycle', given.maxHeapBeforeRecycle, 1)
  return Object.freeze({ size, minSize, idleTimeout, maxHeapBeforeRecycle })
}
