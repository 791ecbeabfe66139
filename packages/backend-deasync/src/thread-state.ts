import { globalSlot } from '@palitra/core/backend'

/** What every wait on this thread must know about the others. */
export interface ThreadState {
  /** What the wait in progress is waiting for; `undefined` when none is. */
  waitingFor: (() => string) | undefined
}

/**
 * One per thread: two copies of this package in one application still share one libuv loop, so
 * they must share what guards it.
 */
export const threadState: ThreadState = globalSlot('palitra.backend-deasync.thread.v1', () => ({
  waitingFor: undefined,
}))
