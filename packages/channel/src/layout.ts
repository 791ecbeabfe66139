/**
 * The shared buffer between a blocked caller and its host thread. One request is in flight at a
 * time (the caller is blocked), so one request area and one reply area suffice. Int32 slots:
 */
// Slots are grouped by writer, one 64-byte cache line per group: the other side spins on them,
// and a line written by both would bounce between cores on every store.

// Written by the caller.
/** Sequence number of the latest request the caller wrote. */
export const kRequestSeq = 0
export const kRequestFormat = 1
export const kRequestLength = 2
/** Bytes 12–63, the rest of the caller's line: small request bodies ride with their sequence number. */
const requestInlineStart = 12
const requestInlineEnd = 64

// Written by the host.
/** Sequence number of the latest reply the host wrote. */
export const kReplySeq = 16
export const kReplyFormat = 17
export const kReplyLength = 18
/** What the host thread is doing; see the `host*` values. Also set by the watchdog. */
export const kHostState = 19
/** Bytes 80–127, the rest of the host's line: small reply bodies ride with their sequence number. */
const replyInlineStart = 80
const replyInlineEnd = 128

// The caller's sleep.
/** 1 while the caller sleeps in `Atomics.wait`: the host rings the doorbell only then. */
export const kCallerSleeping = 32
/** Bumped with news for a sleeping caller (reply, death), so its wait never misses one. */
export const kDoorbell = 33
/**
 * 1 when the caller must be woken as soon as a load that serves a request is done (`kLoadedSeq`),
 * because that request has a deadline of its own to start; written before the load is sent.
 */
export const kWakeOnLoad = 34

// Written by the host once in its life: kept off the line the caller spins on.
/** Exit code the host recorded on its way out (valid when `kHostState` is `hostDead`). */
export const kExitCode = 48
/** Byte length of the JSON crash report in the crash area (0: none). */
export const kCrashLength = 49
/**
 * Pid of a process the host thread runs tasks in (a relay's child), 0 when none: terminating the
 * channel kills it too, since a child stuck in a loop would never notice its relay is gone.
 */
export const kHostPid = 50
/**
 * `kHostPid` once the caller has terminated the channel: a host that starts its process after
 * that kills it at once (the caller could not), so no child outlives a closed runner.
 */
export const hostPidTerminated = -1
/**
 * Sequence number of a load with a request to serve after it (see `HostRequest.serve`), once the load
 * is done: from then on the caller's deadline is the request's own.
 */
export const kLoadedSeq = 51
/**
 * Slots 52–63 are the backend's own, written by its host thread and read by its caller: the
 * subprocess relay publishes there the socket by which the caller reaches the child directly.
 */
export const kBackendSlots = 52
const backendSlotCount = 12

export const headerSlots = 64

/** The backend's own slots of a channel's header (see kBackendSlots). */
export function backendSlotsOf(header: Int32Array): Int32Array {
  return header.subarray(kBackendSlots, kBackendSlots + backendSlotCount)
}

/** Busy-polling `kRequestSeq`: the caller need not wake it. */
export const hostSpinning = 1
/** Back in its event loop: the caller must post a wake-up on the control port. */
export const hostSleeping = 2
export const hostDead = 3
/**
 * Asleep in `Atomics.wait` on `kRequestSeq` for a short while (after a large reply, where spinning
 * would slow the caller reading it on the sibling core): the caller must notify that slot.
 */
export const hostWaiting = 4

// How a message body travels (see body-codec.ts).
/**
 * Tagged bytes in the writer's own header line. Each cache line the reader must fetch from the
 * other core costs as much as the rest of a round trip: a tight-loop call and its reply each
 * cross in the one line that also carries the sequence number.
 */
export const formatInline = 4
/** Tagged bytes in the request or reply area. */
export const formatCompact = 3
export const formatJson = 1
/** Structured clone through the bulk port (values JSON cannot carry, large bodies, transfers). */
export const formatPort = 2
/** Tagged bytes in the writer's large area, a shared buffer of its own grown on demand. */
export const formatLarge = 5
/** `formatLarge`, in a new large area: its buffer waits on the bulk port. */
export const formatLargeGrown = 6

export const areaBytes = 64 * 1024
export const crashBytes = 8 * 1024
const headerBytes = headerSlots * 4

export interface ChannelViews {
  readonly header: Int32Array
  readonly requestInline: Uint8Array
  readonly replyInline: Uint8Array
  readonly request: Uint8Array
  readonly reply: Uint8Array
  readonly crash: Uint8Array
}

/**
 * The header (with the inline bodies) and the areas are two buffers: the watchdog thread holds
 * every channel's header until its own rarely-run GC, and 256 bytes a closed runner is what
 * that may cost, not the whole 136 KiB (under runner churn that was tens of MB held).
 */
export interface ChannelBuffer {
  readonly header: SharedArrayBuffer
  readonly areas: SharedArrayBuffer
}

export function createChannelBuffer(): ChannelBuffer {
  return {
    header: new SharedArrayBuffer(headerBytes),
    areas: new SharedArrayBuffer(2 * areaBytes + crashBytes),
  }
}

export function channelViews({ header, areas }: ChannelBuffer): ChannelViews {
  return {
    header: new Int32Array(header, 0, headerSlots),
    requestInline: new Uint8Array(
      header,
      requestInlineStart,
      requestInlineEnd - requestInlineStart,
    ),
    replyInline: new Uint8Array(header, replyInlineStart, replyInlineEnd - replyInlineStart),
    request: new Uint8Array(areas, 0, areaBytes),
    reply: new Uint8Array(areas, areaBytes, areaBytes),
    crash: new Uint8Array(areas, 2 * areaBytes, crashBytes),
  }
}
