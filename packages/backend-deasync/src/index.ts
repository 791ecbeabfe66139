import { type Backend, type BackendFactory, type Capabilities, PalitraError } from '@palitra/core'
import { CallScope, createTaskHost, runInScope } from '@palitra/core/backend'
import { type LoopPump, loadPump } from './addon.js'
import { block } from './block.js'
import { loadTaskModule } from './load-module.js'

export interface DeasyncBackendOptions {
  /** The module that provides the native loop pump. Default: `'deasync'`. */
  addon?: string
}

export const deasyncCapabilities: Capabilities = Object.freeze({
  inProcess: true,
  closures: true,
  serializes: false,
  isolation: 'none',
  transferables: false,
  worksInMicrotask: false,
  restartsAfterCrash: false,
  ownFlags: false,
})

const defaultAddon = 'deasync'

function requirePump(specifier: string): LoopPump {
  const pump = loadPump(specifier)
  if (typeof pump === 'string')
    throw new PalitraError('ERR_PALITRA_UNAVAILABLE', pump, { backend: 'deasync' })
  return pump
}

const describeRequest = (op: string, name?: string) =>
  op === 'call'
    ? `running task "${name}"`
    : op === 'load'
      ? 'loading the tasks module'
      : op === 'teardown'
        ? 'running teardown'
        : 'stepping an iterator'

/**
 * Block until `promise` settles, on this very thread, and return its value or throw its error as
 * is. Throws ERR_PALITRA_CONTEXT inside a microtask, where waiting could never end.
 */
export function awaitSync<T>(
  promise: PromiseLike<T> | T,
  options: { timeout?: number; addon?: string } = {},
): T {
  const scope = new CallScope()
  return block(Promise.resolve(promise), {
    pump: requirePump(options.addon ?? defaultAddon),
    timeoutMs: options.timeout ?? Number.POSITIVE_INFINITY,
    abortGraceMs: 0,
    onTimeout: () => scope.abort(new PalitraError('ERR_PALITRA_TIMEOUT', 'awaitSync timed out')),
    what: 'a promise',
  })
}

/** Tasks run on the caller's own thread, which pumps the libuv loop until each promise settles. */
export const deasyncBackend: BackendFactory<DeasyncBackendOptions> = (options = {}): Backend => {
  const addon = options.addon ?? defaultAddon
  return {
    name: 'deasync',
    capabilities: deasyncCapabilities,
    options,
    // Only what never changes; where it cannot block right now is core's auto resolution's
    // business (capabilities.worksInMicrotask) and each wait's own check.
    unavailableReason() {
      const pump = loadPump(addon)
      return typeof pump === 'string' ? pump : undefined
    },
    createSession({ moduleUrl, options: runner }) {
      const pump = requirePump(addon)
      const host = createTaskHost(moduleUrl, { backend: 'deasync', load: loadTaskModule })
      const wait = <T>(promise: Promise<T>, scope: CallScope, timeoutMs: number, what: string) =>
        block(promise, {
          pump,
          timeoutMs,
          abortGraceMs: runner.abortGrace,
          onTimeout: () =>
            scope.abort(
              new PalitraError(
                'ERR_PALITRA_TIMEOUT',
                `timed out after ${timeoutMs} ms while ${what}`,
                { backend: 'deasync' },
              ),
            ),
          what,
        })
      return {
        request(request, timeoutMs) {
          const scope = new CallScope()
          const what = describeRequest(request.op, 'name' in request ? request.name : undefined)
          return wait(host.handle(request, scope), scope, timeoutMs, what)
        },
        runClosure(fn, args, timeoutMs) {
          const scope = new CallScope()
          let started: Promise<unknown>
          try {
            started = Promise.resolve(runInScope(scope, () => fn(...args)))
          } catch (error) {
            started = Promise.reject(error)
          }
          return wait(
            started,
            scope,
            timeoutMs,
            `running ${fn.name ? `closure ${fn.name}` : 'a closure'}`,
          )
        },
        alive: () => true,
        close(graceMs) {
          try {
            this.request({ op: 'teardown', graceMs }, graceMs + 1_000)
          } catch {
            // Closing never throws: where this thread cannot block (a microtask), teardown is skipped.
          }
        },
      }
    },
  }
}
