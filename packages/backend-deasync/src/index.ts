import type { Backend, BackendFactory, Capabilities } from '@palitra/core'
import { announceBackend, errors } from '@palitra/core/backend'
import { type LoopPump, loadPump } from './addon.js'
import { createDeasyncSession } from './session.js'
import { blockOn } from './wait.js'

export interface DeasyncBackendOptions {
  /**
   * The deasync package to pump the loop with: a package name or an absolute path, resolved from
   * this package. Default: `'deasync'`.
   */
  addon?: string
}

export interface AwaitSyncOptions {
  /** Deadline in ms; past it, ERR_PALITRA_TIMEOUT. Default: `Infinity`. */
  timeout?: number
}

const defaults = Object.freeze({ addon: 'deasync', timeout: Number.POSITIVE_INFINITY })

export const deasyncCapabilities: Capabilities = Object.freeze({
  inProcess: true,
  closures: true,
  serializes: false,
  isolation: 'none',
  transferables: false,
  worksInMicrotask: false,
  restartsAfterCrash: false,
  ownFlags: false,
  parallel: false,
})

function requirePump(addon: string): LoopPump {
  const pump = loadPump(addon)
  if (typeof pump === 'string') throw errors.unavailable({ backend: 'deasync', reason: pump })
  return pump
}

/**
 * Tasks run on the caller's own thread, which pumps the libuv loop until each promise settles:
 * the application's own module instance, any value by reference, inline closures with `run()`.
 */
export const deasyncBackend: BackendFactory<DeasyncBackendOptions> = (options = {}): Backend => {
  const addon = options.addon ?? defaults.addon
  if (typeof addon !== 'string' || addon === '') {
    throw errors.expected({
      backend: 'deasync',
      name: 'options.addon',
      expected: 'a package name or a path',
      value: addon,
    })
  }
  return {
    name: 'deasync',
    capabilities: deasyncCapabilities,
    options,
    // What never changes in this process: is the addon there. Whether this very moment is inside
    // a microtask is checked by each wait, and by core's auto resolution (`worksInMicrotask`), so
    // a runner created at ESM top level and called later from sync code still works.
    unavailableReason() {
      const pump = loadPump(addon)
      return typeof pump === 'string' ? pump : undefined
    },
    createSession: ({ moduleUrl, options: runner }) =>
      createDeasyncSession(moduleUrl, runner, requirePump(addon)),
  }
}

// `backend: 'deasync'` then finds this package without a `require` (see announceBackend).
announceBackend('deasync', () => deasyncBackend())

/**
 * Block until `value` settles and return its result, or throw its rejection as is: Python's
 * `palitra.run(coro)` for any promise. Throws ERR_PALITRA_CONTEXT inside a microtask, where the
 * wait could never end, and ERR_PALITRA_DEADLOCK inside another wait.
 */
export function awaitSync<T>(value: T, options: AwaitSyncOptions = {}): Awaited<T> {
  const timeoutMs = options.timeout ?? defaults.timeout
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw errors.expected({
      backend: 'deasync',
      name: 'awaitSync timeout',
      expected: 'a non-negative number of ms',
      value: timeoutMs,
    })
  }
  return blockOn(() => value, {
    pump: requirePump(defaults.addon),
    timeoutMs,
    abortGraceMs: 0,
    what: () => 'the promise given to awaitSync()',
  }) as Awaited<T>
}
