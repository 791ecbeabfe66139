import {
  type BatchAnswer,
  type HostRequest,
  isPalitraError,
  type ResolvedRunnerOptions,
  type ServedRequest,
  type Session,
} from '@palitra/core'
import { decodeThrown, describeRequest, errors, type Reply } from '@palitra/core/backend'
import { ThreadChannel, type ThreadChannelOptions, type WaitOutcome } from './client.js'

/** Why a channel-based backend cannot run in this runtime, if it cannot. */
export function sharedMemoryMissing(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') {
    return 'SharedArrayBuffer and Atomics.wait are not available in this runtime'
  }
  return undefined
}

export interface ThreadSessionOptions extends ThreadChannelOptions {
  /** The tasks module, for messages. */
  readonly moduleUrl: string
  readonly runner: ResolvedRunnerOptions
  /**
   * The host is a pool's relay: after an abort it stops a runaway's own host itself (once
   * `abortGrace` has passed) and always answers, so wait for that answer, and stop the relay
   * (with every host behind it) only if it is stuck.
   */
  readonly answersAborts?: boolean
  /** Requests go on to another process (the codec encodes them for it): shared memory cannot. */
  readonly acrossProcesses?: boolean
  /**
   * The host's serve loop hears a load with a request after it (`serveChannel` does): the
   * session offers `loadThen`, and a runner's first call is one round trip.
   */
  readonly pipelinesLoad?: boolean
  /** Calls go by this road first when it is open (the backend's slots tell it where it leads). */
  readonly directRoad?: (backendSlots: Int32Array) => DirectRoad
}

/** What a call by a `DirectRoad` ended with. */
export type DirectOutcome =
  /** Answered on the road. */
  | { readonly reply: Reply }
  /** No answer within the road's spin: the host takes the request over (see ThreadChannel.adopt). */
  | { readonly handOver: true }
  /** The far end closed the road: it is gone, and the host reports why. */
  | { readonly gone: true }
  /** The deadline passed halfway through a message: the road is unusable, and the host must go. */
  | { readonly stalled: true }

/**
 * A faster road than the channel for calls, straight to where the tasks run, beside the host
 * thread: the subprocess caller writes a call to its child's socket and reads the reply itself
 * while it spins, so a quick call never wakes the relay. A call not answered within the spin is
 * handed to the host thread, which then owns its answer, its deadline and its abort, as it owns
 * every request that comes through the channel.
 */
export interface DirectRoad {
  /**
   * Send `request` as number `seq`, and spin for its answer until the road's own budget or
   * `deadline`. Undefined when the road is not open (not yet, or no longer) or does not spin now:
   * the request goes through the channel. Throws, having sent nothing, when it cannot be encoded.
   */
  call(seq: number, request: HostRequest, deadline: number): DirectOutcome | undefined
  /** The empty request body's format that asks the host to take a request over. */
  readonly adoptFormat: number
  /**
   * The reply body's format by which the host says the answer was already on the road when it
   * took the request over: `collect` reads it there.
   */
  readonly answeredOnRoadFormat: number
  /** Read the answer to `seq` that the far end had already sent on the road. */
  collect(seq: number, deadline: number): DirectOutcome
}

/** How long past `abortGrace` a relay that answers aborts may take before it counts as stuck. */
const relayAnswerMarginMs = 2_000

interface Replaced {
  readonly code?: unknown
  readonly replaced?: boolean
}

/**
 * A `Session` over the shared-buffer channel to a host thread: what the worker backend is, and
 * what the subprocess backend is with a relay thread in front of its child. Turns the channel's
 * outcomes into values, the task's own errors, or PalitraErrors.
 */
export function createThreadSession(options: ThreadSessionOptions): Session {
  const channel = new ThreadChannel(options)
  const { backend, hostKind, runner, moduleUrl } = options

  const crashed = (request: HostRequest) => {
    channel.terminate()
    const report = channel.deathReport()
    const died = errors.crashed({
      backend,
      hostKind,
      what: describeRequest(request),
      report,
      cause: report.uncaught === undefined ? undefined : decodeThrown(report.uncaught),
    })
    if (request.op !== 'load') return died
    return errors.startup({ backend, moduleUrl, kind: 'died', hostKind, cause: died })
  }

  const road = options.directRoad?.(channel.backendSlots)

  /** What encoding `request` threw: a DataCloneError, or a getter's or a `name`'s own error. */
  const unsendable = (request: HostRequest, failure: unknown) => {
    if (isPalitraError(failure)) return failure
    const [direction, value] =
      request.op === 'call'
        ? (['args', request.args] as const)
        : request.op === 'batch'
          ? (['calls', request.calls] as const)
          : (['args', request] as const)
    return errors.serialize({
      backend,
      hostKind,
      direction,
      value,
      cause: failure,
      acrossProcesses: options.acrossProcesses,
    })
  }

  const send = (request: HostRequest): number => {
    try {
      return channel.send(request)
    } catch (failure) {
      throw unsendable(request, failure)
    }
  }

  /** The reply's value, or the task's own error thrown. */
  const answer = (reply: Reply) => {
    if (!reply.ok) throw decodeThrown(reply.error, new Error().stack)
    return reply.value
  }

  /** The channel's latest reply; when the host says it is on the direct road, read from there. */
  const readReply = (seq: number, deadline: number): DirectOutcome => {
    if (road && channel.replyFormat() === road.answeredOnRoadFormat)
      return road.collect(seq, deadline)
    return { reply: channel.readReply() }
  }

  const timedOut = (request: HostRequest, seq: number, timeoutMs: number) => {
    const what = describeRequest(request)
    channel.abort(seq, { what, timeoutMs })
    const grace = runner.abortGrace + (options.answersAborts ? relayAnswerMarginMs : 0)
    const late = channel.wait(seq, performance.now() + grace)
    let cause: unknown
    let replaced = false
    const read = late === 'reply' ? readReply(seq, performance.now() + grace) : undefined
    if (read && 'reply' in read) {
      const { reply } = read
      cause = reply.ok ? undefined : decodeThrown(reply.error)
      // A relay in front of a pool replaces a runaway's host itself, and answers with this.
      if ((cause as Replaced)?.code === 'ERR_PALITRA_TIMEOUT' && (cause as Replaced).replaced) {
        replaced = true
        cause = undefined
      }
    } else {
      replaced = true
      channel.terminate()
    }
    const timeout = errors.timeout({ backend, hostKind, what, timeoutMs, replaced, cause })
    if (request.op !== 'load') return timeout
    return errors.startup({ backend, moduleUrl, kind: 'slow', cause: timeout })
  }

  const deadlineIn = (ms: number) => (ms === Number.POSITIVE_INFINITY ? ms : performance.now() + ms)

  /** What a wait for `request` ended with, as the session answers it. */
  const settle = (request: HostRequest, seq: number, outcome: WaitOutcome, timeoutMs: number) => {
    if (outcome === 'dead') throw crashed(request)
    if (outcome === 'timeout') throw timedOut(request, seq, timeoutMs)
    const read = readReply(seq, deadlineIn(timeoutMs))
    if (!('reply' in read)) return settleDirect(request, seq, read, timeoutMs)
    const { reply } = read
    if (!reply.ok) throw decodeThrown(reply.error, new Error().stack)
    // Some calls of a failed batch ignored their AbortSignal: as after a timeout, the host they
    // would keep busy is replaced (the caller still gets the batch's first error).
    if (request.op === 'batch' && (reply.value as { runaway?: boolean } & BatchAnswer).runaway)
      channel.terminate()
    return reply.value
  }

  /** What a call by the direct road ended with, as the session answers it. */
  const settleDirect = (
    request: HostRequest,
    seq: number,
    outcome: DirectOutcome,
    timeoutMs: number,
  ): unknown => {
    if ('reply' in outcome) return answer(outcome.reply)
    if ('gone' in outcome) throw crashed(request)
    if ('stalled' in outcome) {
      channel.terminate()
      const what = describeRequest(request)
      throw errors.timeout({ backend, hostKind, what, timeoutMs, replaced: true, cause: undefined })
    }
    channel.adopt(seq, road!.adoptFormat)
    return settle(request, seq, channel.wait(seq, deadlineIn(timeoutMs)), timeoutMs)
  }

  /** `request` by the direct road, or undefined when it must go through the channel. */
  const direct = (request: HostRequest, timeoutMs: number) => {
    if (!road || request.op !== 'call') return undefined
    const seq = channel.reserveSeq()
    let outcome: DirectOutcome | undefined
    try {
      outcome = road.call(seq, request, deadlineIn(timeoutMs))
    } catch (failure) {
      throw unsendable(request, failure)
    }
    return outcome && { value: settleDirect(request, seq, outcome, timeoutMs) }
  }

  const session: Session = {
    request(request, timeoutMs) {
      if (channel.dead) throw crashed(request)
      const byRoad = direct(request, timeoutMs)
      if (byRoad) return byRoad.value
      const seq = send(request)
      const outcome = channel.wait(seq, deadlineIn(timeoutMs), { loading: request.op === 'load' })
      return settle(request, seq, outcome, timeoutMs)
    },
    loadThen: options.pipelinesLoad ? loadThen : undefined,
    alive: () => !channel.dead,
    close(graceMs) {
      if (!channel.dead) {
        try {
          const margin = options.answersAborts ? relayAnswerMarginMs : 0
          session.request({ op: 'teardown', graceMs }, graceMs + 1_000 + margin)
        } catch {
          // Closing never throws; a teardown that failed has already said so on stderr.
        }
      }
      channel.terminate()
    },
  }

  function loadThen(request: ServedRequest, startupTimeoutMs: number, timeoutMs: number) {
    const load: HostRequest = { op: 'load', serve: request }
    if (channel.dead) throw crashed(load)
    // Without a deadline of its own, the request need not be timed from the end of the load.
    const timed = timeoutMs !== Number.POSITIVE_INFINITY
    channel.wakeOnLoad(timed)
    let seq: number
    try {
      seq = channel.send(load)
    } catch {
      // What the request carries cannot be sent: load alone, and let request() say why.
      startAlone(startupTimeoutMs)
      return session.request(request, timeoutMs)
    }
    let outcome = channel.wait(seq, deadlineIn(startupTimeoutMs), {
      loading: true,
      untilLoaded: timed,
    })
    // Loaded just as the start-up's deadline passed: the request's own deadline counts now.
    if (outcome === 'timeout' && channel.loaded(seq)) outcome = 'loaded'
    if (outcome === 'loaded') outcome = channel.wait(seq, deadlineIn(timeoutMs))
    if (channel.loaded(seq)) return settle(request, seq, outcome, timeoutMs)
    // Still loading: the failure is the start-up's, and so is the host, which goes.
    try {
      return settle(load, seq, outcome, startupTimeoutMs)
    } catch (error) {
      channel.terminate()
      throw error
    }
  }

  /** The load as its own request; a host whose load failed goes, as after loadThen. */
  function startAlone(startupTimeoutMs: number) {
    try {
      session.request({ op: 'load' }, startupTimeoutMs)
    } catch (error) {
      channel.terminate()
      throw error
    }
  }

  return session
}
