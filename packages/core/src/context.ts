import { globalSlot } from './global-slot.js'

type TickCallback = () => void

/**
 * Node's "run pending ticks, then microtasks" step, which the probe below needs. Deno has none;
 * Bun has a `process._tickCallback` that does not run microtasks, so there the probe would always
 * answer "inside".
 */
const tickCallback: TickCallback | undefined = process.versions.bun
  ? undefined
  : (process as unknown as { _tickCallback?: TickCallback })._tickCallback

interface MicrotaskState {
  /**
   * Set right after a full drain of the microtask queue outside a microtask, cleared by a
   * microtask queued at that moment: while set, this code cannot be running inside a microtask.
   */
  outside: boolean
}

const state = globalSlot<MicrotaskState>('palitra.core.microtasks.v1', () => ({ outside: false }))
const resolved = Promise.resolve()
let probeRan = false
const markProbe = () => {
  probeRan = true
}
const forgetOutside = () => {
  state.outside = false
}

function remember(): void {
  if (state.outside) return
  state.outside = true
  resolved.then(forgetOutside)
}

/**
 * True when running inside a microtask (a `.then` callback, after an `await`, ESM top-level
 * evaluation). V8 will not run microtasks again until the current one returns, so a backend that
 * blocks this very thread (deasync) would wait forever for a promise there. Probed by queueing a
 * microtask and draining; the verdict is kept until the next microtask runs, so a tight loop of
 * calls probes once. `undefined` where this runtime cannot tell (no way to drain the queue from
 * JavaScript).
 */
export function insideMicrotask(): boolean | undefined {
  if (!tickCallback) return undefined
  if (state.outside) return false
  probeRan = false
  resolved.then(markProbe)
  tickCallback.call(process)
  if (!probeRan) return true
  remember()
  return false
}

/**
 * Run pending ticks and microtasks now. Callbacks libuv runs while a thread pumps its own loop are
 * nested in the caller's callback, and Node runs ticks and microtasks only when the outermost
 * callback returns: such a wait must run them itself. Call it only outside a microtask (see
 * `insideMicrotask`); it keeps that verdict for the next probe.
 */
export function drainMicrotasks(): void {
  tickCallback?.call(process)
  remember()
}

/** The microtask queue, for backends that block their own thread (`@palitra/core/backend`). */
export const microtasks = Object.freeze({ inside: insideMicrotask, drain: drainMicrotasks })
