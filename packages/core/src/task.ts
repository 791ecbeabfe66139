/**
 * What a tasks module may import (`@palitra/core/task`). Loading it turns on tracking of each
 * call's scope across `await`s, so `getSignal()` works anywhere in a task.
 */
import { currentScope, scopeTracking } from './scope.js'

scopeTracking.wanted = true

const neverAborted = new AbortController().signal

/**
 * The AbortSignal of the call being served: it aborts when the call times out or the runner
 * closes. Pass it on (`fetch(url, { signal: getSignal() })`) so a timed-out task stops cleanly
 * instead of having its worker or child replaced. Outside a call, a signal that never aborts.
 */
export function getSignal(): AbortSignal {
  return currentScope()?.signal ?? neverAborted
}
