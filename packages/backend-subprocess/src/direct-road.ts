/**
 * The caller's direct road to its child: a call written straight to the child's socket, and its
 * reply read there while the caller spins, so a quick call crosses two processes without waking
 * the relay thread (on two cores, a third thread awake is what made a call cost more than a bare
 * pipe round trip). The relay opened the socket (it owns the child) and left it unread; a call
 * whose reply has not come within the spin is handed to the relay, which owns its deadline, its
 * abort and its answer from then on, as for every request that comes through the channel.
 */
import { readSync, writeSync } from 'node:fs'
import { AdaptiveSpin, type DirectOutcome, type DirectRoad } from '@palitra/channel'
import type { HostRequest } from '@palitra/core'
import type { Reply } from '@palitra/core/backend'
import { type Frame, FrameReader, formatAdopt, formatAnsweredOnRoad, frameParts } from './frames.js'
import { kRoadFd, kRoadState, kStderrForwarded, roadInUse, roadOpen } from './road-slots.js'
import { decodeValue, encodeValue } from './wire-codec.js'

/** How long a reply read on the road waits for the relay to forward its task's stderr. */
const stderrCatchUpMs = 1_000
/**
 * Past the spin, a reply not yet begun is polled after each shortest sleep (the kernel's timer
 * slack makes it tens of µs), up to `handOverAfterMs` after the call was sent: a child paused by
 * its garbage collector, or a task that awaits a little, answers a little late, and is still as
 * cheap to wait for here as through the relay. A call slower than that is the relay's.
 */
const pollSleepMs = 0.001
const handOverAfterMs = 2

/** When `readReply` reads (see there), as `performance.now()` times. */
interface ReadTimes {
  readonly quietUntil: number
  readonly spinUntil: number
  readonly handOverAt: number
  readonly deadline: number
}

/**
 * The share of a reply's usual time (see nextExpected) the caller waits before its first read:
 * reads that come too early cost it a system call and a thrown error each.
 */
const quietShare = 0.75

/**
 * The usual time to a reply's first bytes, after one more was seen: quick to come down (a reply
 * found at the first read came sooner than expected), slow to go up, and a late reply (a child
 * paused by its garbage collector) moves it by no more than a quick one would.
 */
function nextExpected(expectedMs: number, seenMs: number): number {
  if (seenMs <= expectedMs) return expectedMs + (seenMs - expectedMs) / 2
  return expectedMs + (Math.min(seenMs, 2 * expectedMs + 0.01) - expectedMs) / 32
}

/**
 * Requests larger than this go through the relay: the child reads a large one in several turns of
 * its event loop while the caller waits to write the rest, and a caller busy writing and reading
 * its way through large bodies leaves the child's core less time than the relay's event loop does.
 */
const maxRoadBody = 64 * 1024

/** Whether the call's arguments may encode small enough for the road, at a glance. */
function mayBeSmall(request: HostRequest): boolean {
  if (request.op !== 'call') return false
  for (const arg of request.args) {
    if (
      typeof arg === 'string'
        ? arg.length > maxRoadBody
        : ArrayBuffer.isView(arg) && arg.byteLength > maxRoadBody
    )
      return false
  }
  return true
}

/** Non-blocking reads find nothing yet: the kernel's answer, which Node throws. */
function nothingYet(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR'
}

/** `slots`: the channel's backend slots, where the relay opens the road (see road-slots.ts). */
export function directRoad(slots: Int32Array, spinMicros: number): DirectRoad {
  /** Whether to spin: a hit is a reply within the spin. */
  const spin = new AdaptiveSpin(spinMicros)
  /**
   * Whether to take the road at all: a hit is a reply before the hand-over. Calls that are all
   * handed over (tasks that take longer) go through the relay, with a try on the road now and then.
   */
  const roadUse = new AdaptiveSpin(handOverAfterMs * 1000)
  const chunk = Buffer.allocUnsafe(64 * 1024)
  const reader = new FrameReader()
  const pause = new Int32Array(new SharedArrayBuffer(4))
  /** How long replies take to start arriving here, a moving average; and when the last did. */
  let expectedMs = 0
  let firstBytesAt = 0

  /** Bytes read into `chunk`: 0 at the end of the stream (the child is gone), -1 for none yet. */
  const readSome = (fd: number): number => {
    try {
      return readSync(fd, chunk, 0, chunk.length, null)
    } catch (error) {
      // A reset is the child gone, as is any other failure: the relay reports why.
      return nothingYet(error) ? -1 : 0
    }
  }

  /** Undefined once all of `bytes` is written. */
  const writeAll = (fd: number, bytes: Uint8Array, deadline: number): DirectOutcome | undefined => {
    for (let at = 0; at < bytes.byteLength; ) {
      try {
        at += writeSync(fd, bytes, at, bytes.byteLength - at)
      } catch (error) {
        if (!nothingYet(error)) return { gone: true }
        // The child is slow to read a large request: a frame cut short cannot be handed over.
        if (performance.now() >= deadline) return { stalled: true }
      }
    }
    return undefined
  }

  const waitForStderr = (needed: number) => {
    const giveUpAt = performance.now() + stderrCatchUpMs
    for (;;) {
      const forwarded = Atomics.load(slots, kStderrForwarded)
      // Counts modulo 2^32 on both sides: their difference, as a signed 32-bit number.
      if ((((needed | 0) - forwarded) | 0) <= 0) return
      const left = giveUpAt - performance.now()
      if (left <= 0) return
      Atomics.wait(slots, kStderrForwarded, forwarded, left)
    }
  }

  const answer = (frame: Frame): DirectOutcome => {
    waitForStderr(frame.stderrBytes)
    return { reply: decodeValue(frame) as Reply }
  }

  /**
   * Read the reply to `seq`: no read before `quietUntil` (each read that finds nothing costs a
   * system call and a thrown error), reads back to back until `spinUntil`, then a read after each
   * short sleep until `handOverAt`, when the host must take the request over. A reply begun must
   * be read whole, by `deadline`.
   */
  const readReply = (fd: number, seq: number, times: ReadTimes): DirectOutcome => {
    const { quietUntil, spinUntil, handOverAt, deadline } = times
    while (performance.now() < quietUntil) {}
    let begun = false
    for (;;) {
      const read = readSome(fd)
      if (read === 0) return { gone: true }
      if (read > 0) {
        if (!begun) firstBytesAt = performance.now()
        begun = true
        for (const frame of reader.push(chunk.subarray(0, read))) {
          // Anything else is left over from a call that went wrong; the reply is still to come.
          if (frame.id === seq) return answer(frame)
        }
        continue
      }
      const now = performance.now()
      if (begun) {
        if (now >= deadline) return { stalled: true }
      } else if (now >= spinUntil) {
        if (now >= handOverAt) return { handOver: true }
        if (now >= deadline) return { stalled: true }
        Atomics.wait(pause, 0, 0, pollSleepMs)
      }
    }
  }

  /** Run `use` on the road's fd, or undefined when the road is not open. */
  const onRoad = (use: (fd: number) => DirectOutcome): DirectOutcome | undefined => {
    if (Atomics.compareExchange(slots, kRoadState, roadOpen, roadInUse) !== roadOpen) {
      return undefined
    }
    // The kernel's "nothing yet" is thrown as an error: without a stack it costs far less.
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      return use(Atomics.load(slots, kRoadFd))
    } finally {
      Error.stackTraceLimit = stackTraceLimit
      Atomics.store(slots, kRoadState, roadOpen)
      Atomics.notify(slots, kRoadState)
    }
  }

  return {
    adoptFormat: formatAdopt,
    answeredOnRoadFormat: formatAnsweredOnRoad,

    call(seq: number, request: HostRequest, deadline: number) {
      if (Atomics.load(slots, kRoadState) !== roadOpen || !mayBeSmall(request)) return undefined
      if (roadUse.budget() === 0) return undefined
      const budget = spin.budget()
      const { format, bytes } = encodeValue(request)
      // Encoded twice then, but only when its size already costs more than that.
      if (bytes.byteLength > maxRoadBody) return undefined
      return onRoad((fd) => {
        for (const part of frameParts({ format, id: seq, stderrBytes: 0, bytes })) {
          const failed = writeAll(fd, part, deadline)
          if (failed) return failed
        }
        const sentAt = performance.now()
        const spinUntil = sentAt + budget / 1000
        const outcome = readReply(fd, seq, {
          quietUntil: Math.min(sentAt + expectedMs * quietShare, spinUntil),
          spinUntil,
          handOverAt: Math.min(sentAt + handOverAfterMs, deadline),
          deadline,
        })
        const answered = !('handOver' in outcome)
        roadUse.record(answered, roadUse.max)
        const withinSpin = answered && firstBytesAt <= spinUntil
        if (budget > 0) spin.record(withinSpin, budget)
        // Timed only by back-to-back reads: after a sleep, when the reply came is not known.
        if (withinSpin) expectedMs = nextExpected(expectedMs, firstBytesAt - sentAt)
        return outcome
      })
    },

    collect(seq: number, deadline: number) {
      const now = performance.now()
      const times = {
        quietUntil: now,
        spinUntil: now + spinMicros / 1000,
        handOverAt: Number.POSITIVE_INFINITY,
        deadline,
      }
      // The child has written the reply (or is about to, see child.ts): it is not handed over
      // again, and what ends the wait is its arrival, the child's death or the deadline.
      return onRoad((fd) => readReply(fd, seq, times)) ?? { gone: true }
    },
  }
}
