import { AsyncLocalStorage } from 'node:async_hooks'
import { globalSlot } from './global-slot.js'

/**
 * One call being served. Its AbortController is made only when the task asks for the signal:
 * creating and wiring an AbortSignal for every call costs several µs, most tasks never look.
 */
export class CallScope {
  #controller: AbortController | undefined
  #aborted = false
  #reason: unknown

  get signal(): AbortSignal {
    this.#controller ??= new AbortController()
    if (this.#aborted && !this.#controller.signal.aborted) this.#controller.abort(this.#reason)
    return this.#controller.signal
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
  }
}

/** The host's copy of core and the one a tasks module imports must share this store. */
const scopeStore = globalSlot('palitra.core.scope.v1', () => new AsyncLocalStorage<CallScope>())

const neverAborted = new AbortController().signal

/**
 * The AbortSignal of the call being served: it aborts when the call times out or the runner
 * closes. Pass it on (`fetch(url, { signal: getSignal() })`) so a timed-out task stops cleanly
 * instead of having its worker or child replaced. Outside a call, a signal that never aborts.
 */
export function getSignal(): AbortSignal {
  return scopeStore.getStore()?.signal ?? neverAborted
}

/** Run `fn` as part of the call `scope`. */
export function runInScope<T>(scope: CallScope, fn: () => T): T {
  return scopeStore.run(scope, fn)
}
