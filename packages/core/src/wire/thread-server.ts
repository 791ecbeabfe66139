import type { MessagePort } from 'node:worker_threads'
import { PalitraError } from '../errors.js'
import { CallScope } from '../scope.js'
import type { HostRequest } from '../types.js'
import { BodyCodec } from './body-codec.js'
import { encodeThrown } from './error-codec.js'
import { findUncloneable } from './find-uncloneable.js'
import {
  type ChannelBuffer,
  type ChannelViews,
  channelViews,
  hostDead,
  hostPidTerminated,
  hostSleeping,
  hostSpinning,
  kCallerSleeping,
  kCrashLength,
  kDoorbell,
  kExitCode,
  kHostPid,
  kHostState,
  kReplyFormat,
  kReplyLength,
  kReplySeq,
  kRequestFormat,
  kRequestLength,
  kRequestSeq,
} from './layout.js'
import { type Reply, replyShape, requestShape } from './messages.js'
import { AdaptiveSpin } from './spin.js'

/** What a host thread receives as `workerData.channel`. */
export interface ChannelEnd {
  readonly buffer: ChannelBuffer
  readonly control: MessagePort
  readonly bulk: MessagePort
  /** Twin of the watchdog's port; held, never used: its closing is the death signal. */
  readonly watched: MessagePort
  readonly hostSpin: number
  /** Backend name for palitra's own errors raised here (`[palitra] [worker] …`). */
  readonly backend?: string
  /** Spin for the next request even after slow requests (a relay runs no task code itself). */
  readonly spinAfterSlowRequests?: boolean
}

export type { Reply }
export type RequestHandler = (request: HostRequest, scope: CallScope) => Promise<unknown>

/** After this many requests served straight from a spin, yield once to the event loop. */
const maxSpinDispatches = 256

/**
 * Spin for the next request only after a task this quick. A slower one waited on the event loop
 * (a timer, I/O); spinning then would serve the next request from inside that timer's callback,
 * where Node's timer list is mid-walk with a stale clock and the next task's own timers run late.
 * Such calls pay a wake-up that is small next to what they wait for.
 */
const quickTaskMicros = 100

/**
 * Host side of the channel: answers requests with `handle`, spins briefly for the next one, then
 * sleeps in its event loop until the caller posts a wake-up. While a call is in flight nothing
 * else keeps this thread's loop alive, so an empty loop ('beforeExit') means the call can never
 * settle: it is answered with ERR_PALITRA_DEADLOCK at once instead of waiting for a timeout.
 */
export function serveChannel(end: ChannelEnd, handle: RequestHandler): void {
  const views = channelViews(end.buffer)
  const { header } = views
  const spin = new AdaptiveSpin(end.hostSpin)
  const requests = new BodyCodec(views.request, end.bulk, requestShape, views.requestInline)
  const replies = new BodyCodec(views.reply, end.bulk, replyShape, views.replyInline)
  const inFlight = new Map<number, CallScope>()
  let lastSeq = 0
  let spinDispatches = 0
  let dispatchedAt = 0
  let lastTaskWasQuick = true

  const keepAliveWhileIdle = () => {
    if (inFlight.size === 0) end.control.ref()
    else end.control.unref()
  }

  const dispatch = (seq: number) => {
    const scope = new CallScope()
    inFlight.set(seq, scope)
    dispatchedAt = performance.now()
    keepAliveWhileIdle()
    let request: HostRequest
    try {
      request = requests.read(
        Atomics.load(header, kRequestFormat),
        Atomics.load(header, kRequestLength),
      )
    } catch (error) {
      reply(seq, { ok: false, error: encodeThrown(error) })
      return
    }
    handle(request, scope).then(
      (value) => reply(seq, value === undefined ? { ok: true } : { ok: true, value }),
      (error) => reply(seq, { ok: false, error: encodeThrown(error) }),
    )
  }

  const poll = (): boolean => {
    const seq = Atomics.load(header, kRequestSeq)
    if (seq === lastSeq) return false
    lastSeq = seq
    dispatch(seq)
    return true
  }

  const reply = (seq: number, body: Reply) => {
    if (!inFlight.delete(seq)) return
    lastTaskWasQuick =
      end.spinAfterSlowRequests === true ||
      (performance.now() - dispatchedAt) * 1000 < quickTaskMicros
    keepAliveWhileIdle()
    writeReply(header, replies, body, end.backend)
    Atomics.store(header, kReplySeq, seq)
    // Pairs with the caller storing kCallerSleeping then re-reading kReplySeq before it waits.
    if (Atomics.load(header, kCallerSleeping) === 1) {
      Atomics.add(header, kDoorbell, 1)
      Atomics.notify(header, kDoorbell)
    }
    awaitNext()
  }

  const awaitNext = () => {
    if (inFlight.size > 0) return
    const budget = lastTaskWasQuick && spinDispatches < maxSpinDispatches ? spin.budget() : 0
    if (budget > 0) {
      if (Atomics.load(header, kHostState) !== hostSpinning)
        Atomics.store(header, kHostState, hostSpinning)
      // The clock is first read after 64 polls: a tight loop's next request comes sooner.
      let until = 0
      for (let i = 1; ; i++) {
        if (Atomics.load(header, kRequestSeq) !== lastSeq) {
          spin.record(true, budget)
          spinDispatches++
          poll()
          return
        }
        if ((i & 63) === 0) {
          const now = performance.now()
          if (until === 0) until = now + budget / 1000
          else if (now >= until) break
        }
      }
      spin.record(false, budget)
    }
    spinDispatches = 0
    sleep()
  }

  const sleep = () => {
    Atomics.store(header, kHostState, hostSleeping)
    // Pairs with the caller storing kRequestSeq then reading kHostState (see ThreadChannel#send).
    if (Atomics.load(header, kRequestSeq) !== lastSeq) setImmediate(poll)
  }

  end.control.on('message', (message: 0 | { abort: number; reason: string }) => {
    if (message === 0) {
      poll()
      return
    }
    inFlight.get(message.abort)?.abort(new PalitraError('ERR_PALITRA_TIMEOUT', message.reason))
  })

  process.on('beforeExit', () => {
    if (inFlight.size === 0) return
    for (const seq of [...inFlight.keys()]) {
      reply(seq, {
        ok: false,
        error: encodeThrown(
          new PalitraError(
            'ERR_PALITRA_DEADLOCK',
            "the task's promise can never settle: nothing is left in the host's event loop that could settle it",
            { backend: end.backend },
          ),
        ),
      })
    }
  })

  recordDeath(end, views)
  sleep()
  poll()
}

function writeReply(
  header: Int32Array,
  replies: BodyCodec<Reply>,
  body: Reply,
  backend: string | undefined,
): void {
  let written: ReturnType<BodyCodec<Reply>['write']>
  try {
    written = replies.write(body)
  } catch (error) {
    const where = body.ok
      ? findUncloneable(body.value, 'result')
      : findUncloneable(body.error, 'error')
    const failure = new PalitraError(
      'ERR_PALITRA_SERIALIZE',
      `the task's ${body.ok ? 'result' : 'error'} cannot be sent back to the caller: ${where ?? (error as Error).message}`,
      { path: where?.split(' ')[0], backend },
    )
    written = replies.write({ ok: false, error: encodeThrown(failure) })
  }
  Atomics.store(header, kReplyFormat, written.format)
  Atomics.store(header, kReplyLength, written.length)
}

/** What a dying host leaves for the caller's ERR_PALITRA_CRASHED (all optional). */
export interface DeathNote {
  readonly uncaught?: unknown
  readonly exitCode?: number
  readonly signal?: string
  readonly stderr?: string
  readonly reason?: string
}

/**
 * Tell the caller which process runs the tasks (0: none), so that stopping the host stops it.
 * Returns false when the caller has already terminated the channel: it could not kill a process
 * it never saw, so the host must kill it itself (and still reap it).
 */
export function recordHostPid(end: ChannelEnd, pid: number): boolean {
  const header = channelViews(end.buffer).header
  for (;;) {
    const current = Atomics.load(header, kHostPid)
    if (current === hostPidTerminated) return false
    if (Atomics.compareExchange(header, kHostPid, current, pid) === current) return true
  }
}

/** Write the death note into the crash area (truncating stderr if it would not fit). */
export function leaveDeathNote(end: ChannelEnd, note: DeathNote): void {
  const views = channelViews(end.buffer)
  let json = Buffer.from(JSON.stringify(note))
  if (json.length > views.crash.length && note.stderr) {
    json = Buffer.from(JSON.stringify({ ...note, stderr: note.stderr.slice(-2000) }))
  }
  if (json.length > views.crash.length) json = Buffer.from(JSON.stringify({ reason: note.reason }))
  views.crash.set(json)
  Atomics.store(views.header, kCrashLength, json.length)
}

/** Leave the caller an exit code and, for an uncaught error, a report before this thread dies. */
function recordDeath(end: ChannelEnd, views: ChannelViews): void {
  const { header } = views
  process.on('uncaughtException', (error) => {
    leaveDeathNote(end, { uncaught: encodeThrown(error), reason: 'uncaught exception' })
    process.exit(1)
  })
  process.on('exit', (code) => {
    Atomics.store(header, kExitCode, code ?? 0)
    Atomics.store(header, kHostState, hostDead)
    Atomics.add(header, kDoorbell, 1)
    Atomics.notify(header, kDoorbell)
  })
}
