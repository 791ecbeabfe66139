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

// Written by the host.
/** Sequence number of the latest reply the host wrote. */
export const kReplySeq = 16
export const kReplyFormat = 17
export const kReplyLength = 18
/** What the host thread is doing; see the `host*` values. Also set by the watchdog. */
export const kHostState = 19
/** Exit code the host recorded on its way out (valid when `kHostState` is `hostDead`). */
export const kExitCode = 20
/** Byte length of the JSON crash report in the crash area (0: none). */
export const kCrashLength = 21
/**
 * Pid of a process the host thread runs tasks in (a relay's child), 0 when none: terminating the
 * channel kills it too, since a child stuck in a loop would never notice its relay is gone.
 */
export const kHostPid = 22

// The caller's sleep.
/** 1 while the caller sleeps in `Atomics.wait`: the host rings the doorbell only then. */
export const kCallerSleeping = 32
/** Bumped with news for a sleeping caller (reply, death), so its wait never misses one. */
export const kDoorbell = 33

export const headerSlots = 48

export const hostStarting = 0
/** Busy-polling `kRequestSeq`: the caller need not wake it. */
export const hostSpinning = 1
/** Back in its event loop: the caller must post a wake-up on the control port. */
export const hostSleeping = 2
export const hostDead = 3

/** How a message body travels (see body-codec.ts). */
export const formatCompact = 3
export const formatJson = 1
/** Structured clone through the bulk port (values JSON cannot carry, large bodies, transfers). */
export const formatPort = 2

export const areaBytes = 64 * 1024
export const crashBytes = 8 * 1024
const headerBytes = headerSlots * 4

export interface ChannelViews {
  readonly header: Int32Array
  readonly request: Uint8Array
  readonly reply: Uint8Array
  readonly crash: Uint8Array
}

export function createChannelBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(headerBytes + 2 * areaBytes + crashBytes)
}

export function channelViews(buffer: SharedArrayBuffer): ChannelViews {
  return {
    header: new Int32Array(buffer, 0, headerSlots),
    request: new Uint8Array(buffer, headerBytes, areaBytes),
    reply: new Uint8Array(buffer, headerBytes + areaBytes, areaBytes),
    crash: new Uint8Array(buffer, headerBytes + 2 * areaBytes, crashBytes),
  }
}
