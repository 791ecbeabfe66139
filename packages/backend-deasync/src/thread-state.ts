/** What every wait on this thread must know about the others. */
export interface ThreadState {
  /** What the wait in progress is waiting for; `undefined` when none is. */
  waitingFor: (() => string) | undefined
  /**
   * Set right after a full drain of the microtask queue outside a microtask, cleared by a
   * microtask queued at that moment: while set, this code cannot be running inside a microtask.
   */
  outsideMicrotask: boolean
}

const key = Symbol.for('palitra.backend-deasync.thread.v1')
const slots = globalThis as Record<symbol, ThreadState | undefined>

/**
 * One per thread, kept on `globalThis`: two copies of this package in one application still share
 * one libuv loop and one microtask queue, so they must share what guards them.
 */
export const threadState: ThreadState = slots[key] ?? {
  waitingFor: undefined,
  outsideMicrotask: false,
}
slots[key] = threadState
