import { type CallScope, errors, microtasks } from '@palitra/core/backend'
import type { LoopPump } from './addon.js'
import { KeepAlive } from './keep-alive.js'
import { threadState } from './thread-state.js'

export interface WaitOptions {
  readonly pump: LoopPump
  /** Deadline in ms; `Infinity` for none. */
  readonly timeoutMs: number
  /** After the deadline, how long the aborted work may still settle, in ms. */
  readonly abortGraceMs: number
  /** The call's scope: aborted at the deadline with the timeout error. */
  readonly scope?: CallScope
  /** What is waited for, for error messages; only called when one is raised. */
  readonly what: () => string
}

const backend = 'deasync'
/** What works where this backend cannot block. */
const alternative = 'the worker backend (@palitra/backend-worker)'

const pending = 0
const fulfilled = 1
const rejected = 2

interface Outcome {
  state: typeof pending | typeof fulfilled | typeof rejected
  value: unknown
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  )
}

function track(thenable: PromiseLike<unknown>): Outcome {
  const outcome: Outcome = { state: pending, value: undefined }
  const promise = thenable instanceof Promise ? thenable : Promise.resolve(thenable)
  promise.then(
    (value) => {
      outcome.state = fulfilled
      outcome.value = value
    },
    (error) => {
      outcome.state = rejected
      outcome.value = error
    },
  )
  return outcome
}

/** Pump the loop until `outcome` settles or the deadline (then the grace) passes. */
function pumpUntilSettled(outcome: Outcome, options: WaitOptions): Error | undefined {
  let deadline = performance.now() + options.timeoutMs
  let timedOut: Error | undefined
  const keepAlive = new KeepAlive()
  try {
    while (outcome.state === pending) {
      const remaining = deadline - performance.now()
      if (remaining <= 0) {
        if (timedOut) break
        timedOut = errors.timeout({
          backend,
          what: `waiting for ${options.what()}`,
          timeoutMs: options.timeoutMs,
          inProcess: true,
        })
        // The task sees this very error as its signal's reason; the caller gets it too.
        options.scope?.abort(timedOut)
        deadline = performance.now() + options.abortGraceMs
        microtasks.drain()
        continue
      }
      keepAlive.tend(remaining)
      options.pump.runLoopOnce()
      microtasks.drain()
    }
  } finally {
    keepAlive.stop()
  }
  return timedOut
}

/**
 * Run `start` and block this thread, pumping its event loop, until what it returns settles; return
 * the value or throw the rejection as is (the same object). Before starting anything, refuse where
 * the wait could never end instead of hanging: inside a microtask (ERR_PALITRA_CONTEXT), or inside
 * another wait, since `uv_run` is not re-entrant (ERR_PALITRA_DEADLOCK).
 */
export function blockOn(start: () => unknown, options: WaitOptions): unknown {
  const outer = threadState.waitingFor
  if (outer) {
    throw errors.nestedWait({ backend, what: options.what(), outer: outer(), alternative })
  }
  if (microtasks.inside()) throw errors.context({ backend, what: options.what(), alternative })
  threadState.waitingFor = options.what
  try {
    const started = start()
    if (!isThenable(started)) return started
    const outcome = track(started)
    // Most promises settle on the first drain (no I/O involved): no timer is armed for them.
    microtasks.drain()
    const timedOut = outcome.state === pending ? pumpUntilSettled(outcome, options) : undefined
    if (timedOut) throw timedOut
    if (outcome.state === rejected) throw outcome.value
    return outcome.value
  } finally {
    threadState.waitingFor = undefined
  }
}
