import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import type { HostRequest } from '@palitra/core'
import {
  type AbortNote,
  type DeathReport,
  encodeThrown,
  type HostTransport,
  type Reply,
  serveHost,
  type TaskHost,
} from '@palitra/core/backend'
import { type ChannelCodec, objectCodec } from './codec.js'
import {
  backendSlotsOf,
  type ChannelBuffer,
  type ChannelViews,
  channelViews,
  hostDead,
  hostPidTerminated,
  hostSleeping,
  hostSpinning,
  hostWaiting,
  kCallerSleeping,
  kCrashLength,
  kDoorbell,
  kExitCode,
  kHostPid,
  kHostState,
  kLoadedSeq,
  kReplyFormat,
  kReplyLength,
  kReplySeq,
  kRequestFormat,
  kRequestLength,
  kRequestSeq,
  kWakeOnLoad,
} from './layout.js'
import { AdaptiveSpin } from './spin.js'

/**
 * The ports of a channel end. The caller posts them just after starting the host thread, so
 * that creating them is not on the way to the thread's start; they are the first message.
 */
export interface ChannelPorts {
  readonly control: MessagePort
  readonly bulk: MessagePort
  /** Twin of the watchdog's port; held, never used: its closing is the death signal. */
  readonly watched: MessagePort
}

/** What a host thread receives as `workerData.channel`. */
export interface ChannelStart {
  readonly buffer: ChannelBuffer
  readonly hostSpin: number
  /** Backend name for palitra's own errors raised here (`[palitra] [worker] …`). */
  readonly backend: string
  /** What the host is, in messages: "worker thread", "child process". */
  readonly hostKind: string
  /** Spin for the next request even after slow requests (a relay runs no task code itself). */
  readonly spinAfterSlowRequests?: boolean
}

/**
 * A host thread's end of the channel: what it was started with, and the ports. Get it from
 * `channelEndOf`, which also makes the thread's death (its exit code, an uncaught error) reach
 * the caller.
 */
export interface ChannelEnd extends ChannelStart, ChannelPorts {}

/** In a host thread's entry: what its caller started it with (`workerData`), at once. */
export function hostInit<Init>(): { start: ChannelStart; init: Init } {
  const { channel, init } = workerData as { channel: ChannelStart; init: Init }
  return { start: channel, init }
}

/**
 * In a host thread's entry: its channel end, once its ports are here. They were posted before
 * this thread ran any code: on Node and Bun they are read at once; Deno's parentPort is not a
 * MessagePort that can be read so, and there they come as a message.
 */
export async function channelEndOf(start: ChannelStart): Promise<ChannelEnd> {
  const port = parentPort
  if (!port) throw new Error('[palitra] a host entry runs in a worker thread only')
  let ports: ChannelPorts | undefined
  try {
    ports = receiveMessageOnPort(port)?.message as ChannelPorts | undefined
  } catch {
    // Deno: "The port argument must be a MessagePort instance".
  }
  ports ??= await new Promise<ChannelPorts>((resolve) => port.once('message', resolve))
  const end = { ...start, ...ports }
  // The one place every host records its death, from here on rather than once serving: a host
  // that dies starting up (a pool's relay whose tinypool throws) would leave the caller no word.
  recordDeath(end, channelViews(end.buffer))
  return end
}

/**
 * What arrives on the control port: a wake-up, an abort of one request, or the caller's stop.
 * A stop is a message because the caller closing its port is not heard here until the caller's
 * own event loop runs, and a caller waits for a host that reaps a child while blocked.
 */
export type ControlMessage = 0 | 'stop' | ({ readonly abort: number } & AbortNote)

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
 * How long the host waits asleep, its event loop held, for the first call after the load. A
 * caller that slept through a long load can take longer than any spin to wake and send it, and
 * a host back in its event loop takes longer still to hear it.
 */
const firstCallWaitMicros = 20_000

/** Core's `HostTransport` over bodies of any codec's types (with `objectCodec`, exactly core's). */
export type ChannelTransport<Request = HostRequest, Response = Reply> = HostTransport<
  Request,
  Response
>

/**
 * The host end of the shared-buffer channel, as the transport of core's serve loop: reads each
 * request from the buffer, writes each reply, spins briefly for the next request after a quick
 * one, then sleeps in its event loop until the caller posts a wake-up on the control port.
 * `codec` must read what the caller's writes (see codec.ts).
 */
export function channelTransport(end: ChannelEnd): ChannelTransport
export function channelTransport<Request, Response>(
  end: ChannelEnd,
  codec: ChannelCodec<Request, Response>,
  hooks?: HostHooks,
): ChannelTransport<Request, Response>
export function channelTransport(
  end: ChannelEnd,
  codec: ChannelCodec<unknown, unknown> = objectCodec,
  hooks: HostHooks = {},
): ChannelTransport<unknown, unknown> {
  const views = channelViews(end.buffer)
  const { header } = views
  const spin = new AdaptiveSpin(end.hostSpin)
  const requests = codec.requests({
    area: views.request,
    inline: views.requestInline,
    bulk: end.bulk,
  })
  const replies = codec.replies({ area: views.reply, inline: views.replyInline, bulk: end.bulk })
  let onRequest: (id: number, read: () => unknown) => void = () => {}
  let lastSeq = 0
  let spinDispatches = 0
  let dispatchedAt = 0
  let idle = true
  let replied = false

  // The task's own time starts once its request is read (every request is read, by the serve
  // loop or the relay): a large body's transfer is no wait on the event loop, and counting it
  // would put the host to sleep after every large call.
  const readRequest = () => {
    const request = requests.read(
      Atomics.load(header, kRequestFormat),
      Atomics.load(header, kRequestLength),
    )
    // Not for the load (see reply): a thread's first performance.now() loads perf_hooks.
    if (replied) dispatchedAt = performance.now()
    return request
  }

  // Pairs with the caller storing kCallerSleeping then re-reading what it waits for.
  const wakeCaller = () => {
    if (Atomics.load(header, kCallerSleeping) === 1) {
      Atomics.add(header, kDoorbell, 1)
      Atomics.notify(header, kDoorbell)
    }
  }

  const poll = (): boolean => {
    const seq = Atomics.load(header, kRequestSeq)
    if (seq === lastSeq) return false
    lastSeq = seq
    onRequest(seq, readRequest)
    return true
  }

  const sleep = () => {
    Atomics.store(header, kHostState, hostSleeping)
    // Pairs with the caller storing kRequestSeq then reading kHostState (see ThreadChannel#send).
    if (Atomics.load(header, kRequestSeq) !== lastSeq) setImmediate(poll)
  }

  /**
   * Sleep in `Atomics.wait` for the next request, instead of spinning, after a large reply (the
   * caller is reading it, and a spin on the sibling core slows that down) and after the load; a
   * futex wake-up is still far cheaper than one through the event loop.
   */
  const waitNext = (budget: number) => {
    Atomics.store(header, kHostState, hostWaiting)
    // Pairs with the caller storing kRequestSeq then reading kHostState (see ThreadChannel#send).
    Atomics.wait(header, kRequestSeq, lastSeq, budget / 1000)
    if (Atomics.load(header, kRequestSeq) !== lastSeq) {
      Atomics.store(header, kHostState, hostSpinning)
      spinDispatches++
      poll()
      return
    }
    spinDispatches = 0
    sleep()
  }

  const awaitNext = (lastTaskWasQuick: boolean, replyLarge: boolean) => {
    const budget = lastTaskWasQuick && spinDispatches < maxSpinDispatches ? spin.budget() : 0
    if (budget > 0 && replyLarge) {
      waitNext(budget)
      return
    }
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

  return {
    listen(request, abort) {
      onRequest = request
      end.control.on('message', (message: ControlMessage) => {
        if (message === 0) poll()
        // Closing this end here is what 'close' listeners (a pool's relay) hear as the stop.
        else if (message === 'stop') end.control.close()
        else abort(message.abort, message)
      })
      sleep()
      poll()
    },

    loaded(seq) {
      Atomics.store(header, kLoadedSeq, seq)
      // A caller asleep until the start-up's deadline wakes to set the request's, if it has one.
      if (Atomics.load(header, kWakeOnLoad) === 1) wakeCaller()
    },

    reply(seq, body) {
      // Before the reply is written, for the same reason as in readRequest.
      const taskMicros = replied ? (performance.now() - dispatchedAt) * 1000 : 0
      const written = replies.write(body)
      Atomics.store(header, kReplyFormat, written.format)
      Atomics.store(header, kReplyLength, written.length)
      Atomics.store(header, kReplySeq, seq)
      wakeCaller()
      // The first request is the runner's load (with its first call, or that call follows).
      const first = !replied
      if (first) {
        replied = true
        // The clock's first use (loading perf_hooks in this thread) is paid here, while the
        // caller wakes to the load's reply, rather than on the way to it or to the first call.
        performance.now()
        hooks.afterFirstReply?.()
      }
      if (!idle) return
      if (first) {
        waitNext(firstCallWaitMicros)
        return
      }
      awaitNext(
        end.spinAfterSlowRequests === true || taskMicros < quickTaskMicros,
        written.large === true,
      )
    },

    holdLoop(hold) {
      idle = hold
      if (hold) end.control.ref()
      else end.control.unref()
    },
  }
}

/** What a host thread's entry may ask of its channel's transport. */
export interface HostHooks {
  /** Called once, as soon as the first reply is written and its caller woken. */
  readonly afterFirstReply?: () => void
}

/** Serve `host` over the channel `end`: what a host thread's entry module does. */
export function serveChannel(end: ChannelEnd, host: TaskHost, hooks?: HostHooks): void {
  serveHost(host, channelTransport(end, objectCodec, hooks), {
    backend: end.backend,
    hostKind: end.hostKind,
  })
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

/** The backend's own slots of the channel (see kBackendSlots), which this host writes. */
export function hostBackendSlots(end: ChannelEnd): Int32Array {
  return backendSlotsOf(channelViews(end.buffer).header)
}

/** Write the death report into the crash area (truncating stderr if it would not fit). */
export function leaveDeathReport(end: ChannelEnd, report: DeathReport): void {
  const views = channelViews(end.buffer)
  let json = Buffer.from(JSON.stringify(report))
  if (json.length > views.crash.length && report.stderr) {
    json = Buffer.from(JSON.stringify({ ...report, stderr: report.stderr.slice(-2000) }))
  }
  if (json.length > views.crash.length)
    json = Buffer.from(JSON.stringify({ reason: report.reason }))
  views.crash.set(json)
  Atomics.store(views.header, kCrashLength, json.length)
}

/** Leave the caller an exit code and, for an uncaught error, a report before this thread dies. */
function recordDeath(end: ChannelEnd, views: ChannelViews): void {
  const { header } = views
  process.on('uncaughtException', (error) => {
    leaveDeathReport(end, { uncaught: encodeThrown(error), reason: 'uncaught exception' })
    process.exit(1)
  })
  process.on('exit', (code) => {
    Atomics.store(header, kExitCode, code ?? 0)
    Atomics.store(header, kHostState, hostDead)
    Atomics.add(header, kDoorbell, 1)
    Atomics.notify(header, kDoorbell)
  })
}
