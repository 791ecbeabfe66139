/**
 * The direct road's state, in the channel's backend slots (see `kBackendSlots` in
 * @palitra/channel). The relay opens the road (a socket to the child, see direct-road.ts), the
 * caller takes it for one call at a time, and the relay closes it before the socket can close
 * under a caller still reading it: a closed fd's number is soon another file's.
 */

/** The caller's end of the road: an fd of this process. */
export const kRoadFd = 0
/** One of the `road*` states below. */
export const kRoadState = 1
/**
 * How many bytes of the child's stderr the relay has forwarded, modulo 2^32: a reply read on the
 * road waits for what its task wrote there, as the relay makes every reply wait.
 */
export const kStderrForwarded = 2

/** Never opened (a runtime whose sockets this cannot reach by fd). */
export const roadNone = 0
export const roadOpen = 1
export const roadInUse = 2
export const roadClosed = 3

/** How long the relay waits for a caller to get off the road before closing it anyway. */
const closeWaitMs = 2_000

export function openRoad(slots: Int32Array, fd: number): void {
  Atomics.store(slots, kRoadFd, fd)
  Atomics.store(slots, kRoadState, roadOpen)
}

/** Close the road for good, once no caller is on it (a call there is bounded by its spin). */
export function closeRoad(slots: Int32Array): void {
  const giveUpAt = performance.now() + closeWaitMs
  while (Atomics.compareExchange(slots, kRoadState, roadOpen, roadClosed) === roadInUse) {
    if (performance.now() >= giveUpAt) return
    Atomics.wait(slots, kRoadState, roadInUse, 5)
  }
}

export function recordStderrForwarded(slots: Int32Array, total: number): void {
  Atomics.store(slots, kStderrForwarded, total | 0)
  Atomics.notify(slots, kStderrForwarded)
}
