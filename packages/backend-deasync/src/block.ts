import { PalitraError } from '@palitra/core'
import { insideMicrotask } from '@palitra/core/backend'
import type { LoopPump } from './addon.js'

export interface BlockOptions {
  readonly pump: LoopPump
  /** Deadline in ms; `Infinity` for none. */
  readonly timeoutMs: number
  /** After the deadline, how long the promise may still settle (its signal aborted), in ms. */
  readonly abortGraceMs: number
  /** Called once at the deadline: abort the task's signal. */
  readonly onTimeout: () => void
  /** What is being waited for, for messages. */
  readonly what: string
}

/** Helper timers, of two unusual durations: see `block`. */
const helperMs = [7, 11] as const
let pumping = false

/**
 * Pump this thread's event loop until `promise` settles; return its value or throw its error
 * (the same object). Refuses at once where it could never end, instead of hanging:
 * - inside a microtask (ERR_PALITRA_CONTEXT);
 * - inside another wait: `uv_run` is not re-entrant (ERR_PALITRA_DEADLOCK);
 * - when nothing is left in the loop that could settle the promise (ERR_PALITRA_DEADLOCK).
 *
 * Two referenced helper timers stay armed while waiting. They keep `uv_run` blocking in the
 * kernel rather than returning at once and spinning at 100% CPU; they bound how long a deadline
 * can go unnoticed; and, being of durations of their own, at least one of them re-arms Node's
 * timer handle when the wait starts inside a timer callback whose list Node is still walking
 * (where a task's timer of the same duration would otherwise never fire).
 */
export function block<T>(promise: Promise<T>, options: BlockOptions): T {
  // Settled from callbacks the type checker cannot see run: one object, read after each pump.
  const outcome: { state: 'pending' | 'fulfilled' | 'rejected'; value?: T; failure?: unknown } = {
    state: 'pending',
  }
  // Handlers first: the context check below drains microtasks, and a promise rejected there
  // with no handler yet would be reported as an unhandled rejection.
  promise.then(
    (result) => {
      outcome.state = 'fulfilled'
      outcome.value = result
    },
    (error) => {
      outcome.state = 'rejected'
      outcome.failure = error
    },
  )
  if (pumping) {
    throw new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      `cannot wait for ${options.what} while another wait is pumping the event loop (a callback that ran during that wait blocked again; uv_run is not re-entrant)`,
      { backend: 'deasync' },
    )
  }
  if (insideMicrotask()) {
    throw new PalitraError(
      'ERR_PALITRA_CONTEXT',
      `cannot block inside a microtask (a .then callback, after an await, or ESM top-level code): promises cannot settle there, so waiting for ${options.what} would hang. Call from synchronous code or a macrotask, or use the worker backend, which works here.`,
      { backend: 'deasync' },
    )
  }
  const helpers = helperMs.map((ms) => setInterval(() => {}, ms))
  const started = performance.now()
  let deadline = started + options.timeoutMs
  let timedOut = false
  pumping = true
  try {
    for (;;) {
      ;(process as unknown as { _tickCallback(): void })._tickCallback()
      if (outcome.state !== 'pending') break
      if (!timedOut && performance.now() >= deadline) {
        timedOut = true
        options.onTimeout()
        deadline = performance.now() + options.abortGraceMs
        continue
      }
      if (timedOut && performance.now() >= deadline) break
      if (nothingLeftToWaitFor()) {
        throw new PalitraError(
          'ERR_PALITRA_DEADLOCK',
          `${options.what} can never finish: its promise is pending and nothing is left in the event loop that could settle it`,
          { backend: 'deasync' },
        )
      }
      options.pump.runLoopOnce()
    }
  } finally {
    pumping = false
    for (const helper of helpers) clearInterval(helper)
  }
  if (timedOut) {
    throw new PalitraError(
      'ERR_PALITRA_TIMEOUT',
      `timed out after ${options.timeoutMs} ms while ${options.what}${outcome.state === 'pending' ? '; the task ignored its AbortSignal and goes on in the background (an in-process task cannot be stopped)' : ''}`,
      {
        backend: 'deasync',
        timeout: options.timeoutMs,
        cause: outcome.state === 'rejected' ? outcome.failure : undefined,
      },
    )
  }
  if (outcome.state === 'rejected') throw outcome.failure
  return outcome.value as T
}

/** Only our own helper timers keep the loop alive: no I/O, timer or port could settle anything. */
function nothingLeftToWaitFor(): boolean {
  const active = process.getActiveResourcesInfo()
  return active.length <= helperMs.length && active.every((kind) => kind === 'Timeout')
}
