// The thread floor's shared buffer: a few Int32 slots, then the value area. One request in
// flight at a time, so one area serves both directions.

/** `state` slot values: who holds the buffer. */
export const State = Object.freeze({ request: 1, reply: 2 })

export const Slot = Object.freeze({
  /** State.request (the host's turn) or State.reply (the caller's). */
  state: 0,
  /** 1 while the host sleeps in Atomics.wait: the caller must notify it. */
  hostAsleep: 1,
  /** 1 while the caller sleeps in Atomics.wait: the host must notify it. */
  callerAsleep: 5,
  /** The task's index in codec.taskNames; -1 asks the host to exit. */
  task: 2,
  tag: 3,
  length: 4,
})

/**
 * Spin bounds in spin mode, in ms: far above a round trip on an idle machine, so there both sides
 * only spin; on a machine with more runnable threads than cores a spinner can hold the core its
 * peer needs for a whole time slice, so past the bound each side sleeps until woken.
 */
export const spinMs = Object.freeze({ caller: 0.2, host: 1 })

export const headerBytes = 64
/** Room for buffer-1m's 1 MiB array with a margin. */
export const areaBytes = 2 << 20
