import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  type TransferListItem,
  Worker,
  type WorkerOptions,
} from 'node:worker_threads'
import type { HostRequest } from '@palitra/core'
import { type AbortNote, type DeathReport, errors, type Reply } from '@palitra/core/backend'
import { type ChannelCodec, type MessageCodec, objectCodec } from './codec.js'
import {
  backendSlotsOf,
  type ChannelViews,
  channelViews,
  createChannelBuffer,
  hostDead,
  hostPidTerminated,
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
import type { ChannelPorts, ChannelStart, ControlMessage } from './server.js'
import { AdaptiveSpin, type SpinPolicy } from './spin.js'
import { HostWatch } from './watchdog.js'

export interface ThreadChannelOptions {
  /** The host thread's entry module; it calls `serveChannel` with `workerData.channel`. */
  readonly entry: string | URL
  /** Handed to the entry as `workerData.init`. */
  readonly init: unknown
  readonly execArgv: readonly string[]
  /**
   * The flags were inherited rather than chosen: drop any the Worker refuses (V8 flags such as
   * `--expose-gc` are process-wide and already apply) instead of failing.
   */
  readonly execArgvInherited?: boolean
  readonly env: NodeJS.ProcessEnv | undefined
  readonly resourceLimits: ResourceLimits | undefined
  readonly spin: Required<SpinPolicy>
  /** Backend name, for errors the host raises. */
  readonly backend: string
  /** What the host is, in messages: "worker thread", "child process". */
  readonly hostKind: string
  /** The host is a relay: let it spin for the next request even after slow ones. */
  readonly spinAfterSlowRequests?: boolean
  /**
   * The host thread owns a child process (a relay): on terminate it is left to reap it and exit
   * by itself, since a thread ended first leaves its killed child a zombie until the caller exits.
   */
  readonly hostReapsChild?: boolean
  /**
   * How this side writes requests and reads replies; the host must read what it writes (see
   * codec.ts). Default: `objectCodec`.
   */
  readonly codec?: ChannelCodec<HostRequest, Reply>
}

/**
 * How long terminate waits for a host that reaps its child to get there before ending it anyway
 * (the child is SIGKILLed first, so only a stuck host needs this).
 */
const reapGraceMs = 5_000

/**
 * How long a wait sleeps before the watchdog takes over the host's death watch (see HostWatch).
 * Only a death that runs no exit hook (OOM, say) needs the watchdog, so this delays nothing else;
 * a short call never starts the thread at all.
 */
const watchdogAfterMs = 100

/**
 * The same for the first request, the load: a thread's boot and a module's import sleep past
 * `watchdogAfterMs` on any busy machine, and a runner of quick calls would then keep a second
 * thread for its whole life. A load that dies without an exit hook is found this much later.
 */
const loadWatchdogAfterMs = 1_000

export type WaitOutcome = 'reply' | 'dead' | 'timeout' | 'loaded'

/** What a wait is for, besides its reply. */
export interface WaitFor {
  /** The request is a load: no spin (it takes a thread's boot), a later watchdog (see above). */
  readonly loading?: boolean
  /** Also end with `'loaded'` once the load of this request (one serving another) is done. */
  readonly untilLoaded?: boolean
}

/** Flags this runtime's Worker refused once; not offered again. */
const refusedFlags = new Set<string>()

function startWorker(options: ThreadChannelOptions, workerOptions: WorkerOptions): Worker {
  // A Worker whose entry is missing dies silently, after the caller has begun to wait.
  const entry = new URL(options.entry)
  if (entry.protocol === 'file:' && !existsSync(entry)) {
    throw errors.unavailable({
      backend: options.backend,
      reason: `the ${options.backend} backend's thread entry ${fileURLToPath(entry)} is missing (is the package built?)`,
    })
  }
  let execArgv = [...options.execArgv]
  for (;;) {
    if (options.execArgvInherited)
      execArgv = execArgv.filter((arg) => !refusedFlags.has(arg.split('=')[0]!))
    try {
      return new Worker(options.entry, { ...workerOptions, execArgv })
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error
      const refused = (error as Error).message.split(': ').slice(1).join(': ').split(/,\s*/)
      if (!options.execArgvInherited || refused.every((flag) => refusedFlags.has(flag))) {
        throw errors.invalidArgument({
          backend: options.backend,
          message: `a worker thread cannot take these execArgv flags: ${refused.join(', ')} (process-wide flags go on the node command line instead)`,
          cause: error,
        })
      }
      for (const flag of refused) refusedFlags.add(flag.split('=')[0]!)
    }
  }
}

/**
 * Node pipes a thread's stdout and stderr into ours unless told not to (`stdout: true`), and its
 * pipe creates ours (process.stdout) first, before the thread starts. Bun and Deno do their own.
 */
const threadStdioReadByUs = typeof process.versions.bun !== 'string' && !('Deno' in globalThis)

/**
 * What still reaches a host thread's own streams (a path around the host's fd writes) is written
 * to ours, as Node's pipe would. Its readers are marked, as Node marks its pipe's, as not holding
 * this process open; without that mark (internals changed) they are left unread instead.
 */
function forwardThreadStdio(worker: Worker): void {
  // Ours are reached only when something comes: reading them creates them.
  for (const [from, to] of [
    [worker.stdout, () => process.stdout],
    [worker.stderr, () => process.stderr],
  ] as const) {
    const holdsProcess = Object.getOwnPropertySymbols(from).find(
      (symbol) => symbol.description === 'kIncrementsPortRef',
    )
    if (!holdsProcess) continue
    ;(from as unknown as Record<symbol, boolean>)[holdsProcess] = false
    from.on('data', (chunk: Buffer) => to().write(chunk))
  }
}

/** Caller side of the shared-buffer channel to one host thread. Blocking, one request at a time. */
export class ThreadChannel {
  readonly #views: ChannelViews
  readonly #worker: Worker
  readonly #control: MessagePort
  readonly #bulk: MessagePort
  readonly #requests: MessageCodec<HostRequest>
  readonly #replies: MessageCodec<Reply>
  readonly #spin: AdaptiveSpin
  readonly #hostReapsChild: boolean
  readonly #watch: HostWatch
  #seq = 0
  #terminated = false
  /** The request in flight is large: its reply is awaited asleep (see WrittenBody.large). */
  #requestLarge = false

  constructor(options: ThreadChannelOptions) {
    const buffer = createChannelBuffer()
    this.#views = channelViews(buffer)
    // The thread starts first; what else this side needs is made while the thread boots.
    this.#worker = startWorker(options, {
      workerData: {
        channel: {
          buffer,
          hostSpin: options.spin.host,
          backend: options.backend,
          hostKind: options.hostKind,
          spinAfterSlowRequests: options.spinAfterSlowRequests,
        } satisfies ChannelStart,
        init: options.init,
      },
      env: options.env,
      resourceLimits: options.resourceLimits,
      // Hosts write task output to the fds themselves (writeStdioStraightToFds).
      stdout: threadStdioReadByUs,
      stderr: threadStdioReadByUs,
    })
    if (threadStdioReadByUs) forwardThreadStdio(this.#worker)
    const control = new MessageChannel()
    const bulk = new MessageChannel()
    const watch = new HostWatch(buffer.header)
    const ports: ChannelPorts = {
      control: control.port2,
      bulk: bulk.port2,
      watched: watch.hostPort,
    }
    this.#worker.postMessage(ports, [control.port2, bulk.port2, watch.hostPort])
    this.#watch = watch
    watch.watch(this.#worker)
    this.#hostReapsChild = options.hostReapsChild === true
    // The host reports its death through the shared buffer; an unheard 'error' event would
    // otherwise be rethrown on this thread's loop.
    this.#worker.on('error', () => {})
    this.#worker.unref()
    this.#control = control.port1
    this.#bulk = bulk.port1
    this.#control.unref()
    this.#bulk.unref()
    this.#spin = new AdaptiveSpin(options.spin.caller)
    const codec = options.codec ?? objectCodec
    this.#requests = codec.requests({
      area: this.#views.request,
      inline: this.#views.requestInline,
      bulk: this.#bulk,
    })
    this.#replies = codec.replies({
      area: this.#views.reply,
      inline: this.#views.replyInline,
      bulk: this.#bulk,
    })
  }

  get dead(): boolean {
    return this.#terminated || Atomics.load(this.#views.header, kHostState) === hostDead
  }

  /**
   * Before sending a load that serves a request: whether `wait` must hear when the load is done
   * (`untilLoaded`), which costs the host a wake-up of this thread.
   */
  wakeOnLoad(wanted: boolean): void {
    Atomics.store(this.#views.header, kWakeOnLoad, wanted ? 1 : 0)
  }

  /** Write a request and wake the host if it sleeps. Throws DataCloneError for uncloneable bodies. */
  send(body: HostRequest, transfer?: readonly TransferListItem[]): number {
    const written = this.#requests.write(body, transfer)
    this.#requestLarge = written.large === true
    const seq = ++this.#seq
    this.#publish(seq, written.format, written.length)
    return seq
  }

  /**
   * A sequence number for a request sent by another road than this channel (see DirectRoad),
   * from the same count, so the host can still be asked to answer it (`adopt`) or abort it.
   */
  reserveSeq(): number {
    return ++this.#seq
  }

  /**
   * Request `seq` went by another road and its answer is slow: the host takes it over and
   * answers it here, like any request. `format` is the empty body's, which tells the host so.
   */
  adopt(seq: number, format: number): void {
    this.#requestLarge = false
    this.#publish(seq, format, 0)
  }

  #publish(seq: number, format: number, length: number): void {
    const header = this.#views.header
    Atomics.store(header, kRequestFormat, format)
    Atomics.store(header, kRequestLength, length)
    Atomics.store(header, kRequestSeq, seq)
    // Pairs with the host storing its state then re-reading kRequestSeq: one of us sees the other.
    const state = Atomics.load(header, kHostState)
    if (state === hostWaiting) Atomics.notify(header, kRequestSeq)
    else if (state !== hostSpinning) this.#control.postMessage(0)
  }

  /** The format the latest reply's body was written in, before it is read. */
  replyFormat(): number {
    return Atomics.load(this.#views.header, kReplyFormat)
  }

  /** The backend's own slots, which its host thread writes (see kBackendSlots). */
  get backendSlots(): Int32Array {
    return backendSlotsOf(this.#views.header)
  }

  /** Block until reply `seq`, the host's death, or `deadline` (a `performance.now()` time). */
  wait(seq: number, deadline: number, waitFor: WaitFor = {}): WaitOutcome {
    const header = this.#views.header
    const budget = this.#requestLarge || waitFor.loading ? 0 : this.#spin.budget()
    if (budget > 0) {
      // The clock is first read after 32 polls: a tight-loop reply comes sooner, and skips it.
      let spinUntil = 0
      for (let i = 1; ; i++) {
        if (Atomics.load(header, kReplySeq) === seq) {
          this.#spin.record(true, budget)
          return 'reply'
        }
        if (Atomics.load(header, kHostState) === hostDead) return 'dead'
        if ((i & 31) === 0) {
          const now = performance.now()
          if (spinUntil === 0) spinUntil = now + budget / 1000
          else if (now >= spinUntil) break
        }
      }
      this.#spin.record(false, budget)
    }
    // Past this time asleep, the watchdog watches the host (this thread cannot while it blocks).
    let watchdogAt = performance.now() + (waitFor.loading ? loadWatchdogAfterMs : watchdogAfterMs)
    try {
      for (;;) {
        const bell = Atomics.load(header, kDoorbell)
        Atomics.store(header, kCallerSleeping, 1)
        // Pairs with the host storing kReplySeq then reading kCallerSleeping before it rings.
        if (Atomics.load(header, kReplySeq) === seq) return 'reply'
        if (Atomics.load(header, kHostState) === hostDead) return 'dead'
        if (waitFor.untilLoaded && this.loaded(seq)) return 'loaded'
        const now = performance.now()
        const remaining = deadline - now
        if (remaining <= 0) return 'timeout'
        if (now >= watchdogAt) {
          this.#watch.handOver()
          watchdogAt = Number.POSITIVE_INFINITY
        }
        Atomics.wait(header, kDoorbell, bell, Math.min(remaining, watchdogAt - now))
      }
    } finally {
      Atomics.store(header, kCallerSleeping, 0)
    }
  }

  /** The load of request `seq` (one that serves a request after it) is done, and the request it carries started. */
  loaded(seq: number): boolean {
    return Atomics.load(this.#views.header, kLoadedSeq) === seq
  }

  readReply(): Reply {
    const header = this.#views.header
    return this.#replies.read(
      Atomics.load(header, kReplyFormat),
      Atomics.load(header, kReplyLength),
    )
  }

  /** Ask the host to abort request `seq` (its AbortSignal fires). */
  abort(seq: number, note: AbortNote): void {
    if (!this.dead) this.#control.postMessage({ abort: seq, ...note } satisfies ControlMessage)
  }

  deathReport(): DeathReport {
    const header = this.#views.header
    const length = Atomics.load(header, kCrashLength)
    let note: DeathReport = {}
    if (length > 0) {
      try {
        note = JSON.parse(Buffer.from(this.#views.crash.slice(0, length)).toString('utf8'))
      } catch {
        note = { reason: 'unreadable death note' }
      }
    }
    const recorded =
      Atomics.load(header, kHostState) === hostDead ? Atomics.load(header, kExitCode) : 0
    const exitCode = note.exitCode ?? (recorded !== 0 || length > 0 ? recorded : undefined)
    return { ...note, exitCode }
  }

  terminate(): void {
    if (this.#terminated) return
    this.#terminated = true
    this.#watch.end()
    // Marks the channel terminated too, so a host that starts its child later kills it itself.
    const pid = Atomics.exchange(this.#views.header, kHostPid, hostPidTerminated)
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    // Heard by the host at once; the port's closing only once this thread's loop runs (see
    // ControlMessage), and a host that reaps its child may be awaited below before that.
    this.#control.postMessage('stop' satisfies ControlMessage)
    this.#control.close()
    this.#bulk.close()
    if (!this.#hostReapsChild || !this.#awaitHostExit(performance.now() + reapGraceMs)) {
      this.#worker.terminate().catch(() => {})
    }
  }

  /**
   * Block until the host thread is on its way out (its exit hook or the watchdog marks it dead),
   * or `deadline`. A relay gets there only after reaping its child, and must be let: the thread
   * that owns a child's handle is the only one that can reap it, and a caller thread that ends
   * right after close() takes its relay along.
   */
  #awaitHostExit(deadline: number): boolean {
    const header = this.#views.header
    for (;;) {
      const bell = Atomics.load(header, kDoorbell)
      if (Atomics.load(header, kHostState) === hostDead) return true
      const remaining = deadline - performance.now()
      if (remaining <= 0) return false
      Atomics.wait(header, kDoorbell, bell, remaining)
    }
  }
}
