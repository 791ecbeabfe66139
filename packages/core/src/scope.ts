import { AsyncLocalStorage } from 'node:async_hooks'
import { globalSlot } from './global-slot.js'

/**
 * One call being served. Its AbortController is made only when the task asks for the signal:
 * creating and wiring an AbortSignal for every call costs more than the rest of a tight-loop call, and most tasks never look.
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

  /** Run `fn` as part of this call: `getSignal()` inside it (and after its awaits) is this one's. */
  run<T>(fn: () => T): T {
    return runInScope(this, fn)
  }
}

interface ScopeTracking {
  /** Set when `@palitra/core/task` is loaded: only then is a call's scope tracked across awaits. */
  wanted: boolean
  readonly store: AsyncLocalStorage<CallScope>
  /** The scope of the call whose synchronous part is running (when not tracked across awaits). */
  current: CallScope | undefined
}

/**
 * `AsyncLocalStorage.run` switches on promise hooks for every promise of the thread, a cost a
 * tight loop feels; tasks that never ask for their signal should not pay it. The host's copy of
 * core and the one a tasks module imports share this through `globalThis`.
 */
export const scopeTracking = globalSlot<ScopeTracking>('palitra.core.scope.v1', () => ({
  wanted: false,
  store: new AsyncLocalStorage<CallScope>(),
  current: undefined,
}))

/** Run `fn` as part of the call `scope`. */
export function runInScope<T>(scope: CallScope, fn: () => T): T {
  if (scopeTracking.wanted) return scopeTracking.store.run(scope, fn)
  const outer = scopeTracking.current
  scopeTracking.current = scope
  try {
    return fn()
  } finally {
    scopeTracking.current = outer
  }
}

/** The scope of the call being served, if any. */
export function currentScope(): CallScope | undefined {
  return scopeTracking.store.getStore() ?? scopeTracking.current
}
