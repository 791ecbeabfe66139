/**
 * The relay thread of a pooled runner. The caller blocks on the shared-buffer channel to this
 * thread, whose event loop stays free to run tinypool: each request becomes a pool task on a
 * free host (tinypool queues it when every host is busy), its reply goes back to the caller.
 *
 * tinypool's sharp edges, and what this file does about them:
 * - aborting a run's `signal` terminates the host running it, and a run with a signal only goes
 *   to a host with no running task: every run carries one (one task per host), and the soft
 *   abort of a timeout travels over the task's own link first; the signal is the hard stop.
 * - with the `teardown` option, removing a host first waits for the teardown task on that host,
 *   which a runaway never answers, so the host would never be terminated: a replaced or stuck
 *   host is also terminated here directly.
 * - a worker thread that exits (`process.exit`) raises no 'error', so tinypool would keep it as
 *   busy forever: an exit nobody asked for is turned into the 'error' tinypool handles.
 * - idle threads block in `Atomics.wait` unless `useAtomics` is off, which would freeze the
 *   timers and sockets of module state between calls: it is off.
 * - a child process gets only tinypool's own variable unless `env` is given: it always is.
 * - tinypool's first message to a child holds a MessagePort, which Bun's 'advanced' IPC
 *   serialization refuses (in tinypool's constructor, here): on Bun the IPC channel is JSON and
 *   palitra's bytes cross as base64 text (see ipc.ts).
 */
import { MessageChannel, type TransferListItem } from 'node:worker_threads'
import {
  channelEndOf,
  channelTransport,
  cloneFromBytes,
  cloneToBytes,
  hostInit,
  leaveDeathReport,
  writeStdioStraightToFds,
} from '@palitra/channel'
import type { BatchAnswer, BatchSettlement, HostRequest } from '@palitra/core'
import {
  type AbortNote,
  type DeathReport,
  describeRequest,
  encodeThrown,
  errors,
  iteratorHandleTag,
  type Reply,
} from '@palitra/core/backend'
import Tinypool, { type TinypoolChannel, type TinypoolWorker } from 'tinypool'
import { bytesFromIpc, bytesToIpc, type IpcBytes } from './ipc.js'
import type {
  FinalReply,
  FromHost,
  HostTask,
  PoolInit,
  Started,
  Tagged,
  ToHost,
} from './messages.js'

const { start, init } = hostInit<PoolInit>()
const channel = await channelEndOf(start)
const { backend, hostKind } = init
const isThread = init.runtime === 'worker_threads'
const hostEntry = new URL(isThread ? './host-thread.js' : './host-process.js', import.meta.url)

// A child host's output is piped into this thread: write it to the process's fds at once rather
// than through the caller's event loop, which is blocked.
writeStdioStraightToFds()

/** One host as this relay watches it (tinypool's wrapper of a thread or child). */
interface HostState {
  readonly worker: TinypoolWorker
  /** Its thread id, or its pid. */
  readonly id: number
  /** Ended on purpose (by tinypool or here): its exit is no crash. */
  ended: boolean
  /** tinypool already heard an 'error' for it. */
  errored: boolean
  exit: { code: number | null; signal: string | null } | undefined
  readonly exited: Promise<void>
  /** tinypool's own terminate (before it was wrapped to mark `ended`). */
  readonly terminate: () => Promise<unknown>
}

/** One pool task: a request served on one host, then its iterator's steps if it opened one. */
interface PoolTask {
  readonly id: number
  readonly controller: AbortController
  /** worker_threads: the host writes its thread id here. */
  readonly hostSlot: Int32Array | undefined
  /** child_process: the pid it reported. */
  pid: number
  /** Sends to the host over the task's link (child_process: once tinypool has handed it out). */
  send: ((message: ToHost) => void) | undefined
  /** Steps waiting for their reply. */
  readonly waiters: Map<number, (reply: Reply) => void>
  lastStep: number
  /** The relay's id of the iterator this task holds open. */
  iterator: number | undefined
  /** Its host was stopped here because it ignored an abort. */
  replaced: boolean
  /** The request it was started for, for messages. */
  readonly what: string
}

/** A caller request in flight: which task steps answer it, for aborts. */
interface InFlight {
  readonly parts: readonly { readonly task: PoolTask; readonly step: number }[]
  answered: boolean
}

const hosts = new Map<number, HostState>()
const tasks = new Map<number, PoolTask>()
const iterators = new Map<number, PoolTask>()
const inFlight = new Map<number, InFlight>()
let nextTask = 0
let nextIterator = 0
let closing = false

const failure = (error: unknown): Reply => ({ ok: false, error: encodeThrown(error) })
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function createPool(execArgv: string[]): Tinypool {
  return new Tinypool({
    filename: hostEntry.href,
    runtime: init.runtime,
    minThreads: init.minSize,
    maxThreads: init.size,
    idleTimeout: init.idleTimeout,
    concurrentTasksPerWorker: 1,
    useAtomics: false,
    teardown: 'teardown',
    execArgv,
    env: (init.env ?? process.env) as Record<string, string>,
    ...(isThread ? { resourceLimits: init.resourceLimits } : { serialization: init.ipc }),
    ...(init.maxHeapBeforeRecycle === undefined
      ? {}
      : { maxMemoryLimitBeforeRecycle: init.maxHeapBeforeRecycle }),
  })
}

/** The pool, dropping inherited flags a Worker refuses (as the single worker does). */
function startPool(): Tinypool {
  let execArgv = [...init.execArgv]
  for (;;) {
    try {
      return createPool(execArgv)
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error
      const refused = (error as Error).message.split(': ').slice(1).join(': ').split(/,\s*/)
      const kept = execArgv.filter((arg) => !refused.includes(arg.split('=')[0]!))
      if (!init.execArgvInherited || kept.length === execArgv.length) {
        throw errors.invalidArgument({
          backend,
          message: `a worker thread cannot take these execArgv flags: ${refused.join(', ')} (process-wide flags go on the node command line instead)`,
          cause: error,
        })
      }
      execArgv = kept
    }
  }
}

/**
 * The pool, or this thread's death with a word for the caller: tinypool's constructor already
 * starts the first hosts, so what throws there (an option a Worker refuses, a first message the
 * IPC cannot carry) would read as a host that died with no word left.
 */
function startPoolOrDie(): Tinypool {
  try {
    return startPool()
  } catch (error) {
    leaveDeathReport(channel, {
      uncaught: encodeThrown(error),
      reason: `the pool's relay thread could not start tinypool: ${String((error as Error)?.message ?? error)}`,
    })
    process.exit(1)
  }
}

const pool = startPoolOrDie()
// tinypool emits 'error' for a host that fails with no task of its own (its removal after a
// crash can do so); every failure that matters reaches the task it belongs to.
pool.on('error', () => {})

/** Watch every host tinypool has made and this relay has not seen yet. */
function adopt(): void {
  for (const worker of pool.threads) {
    // A pid can come back once its child is reaped: the wrapper tells hosts apart.
    if (hosts.get(worker.threadId)?.worker === worker) continue
    const terminate = worker.terminate.bind(worker)
    let exited!: () => void
    const state: HostState = {
      worker,
      id: worker.threadId,
      ended: false,
      errored: false,
      exit: undefined,
      exited: new Promise<void>((resolve) => {
        exited = resolve
      }),
      terminate,
    }
    worker.terminate = () => {
      state.ended = true
      return terminate()
    }
    worker.on('error', () => {
      state.errored = true
    })
    worker.once('exit', (code: number | null, signal: string | null) => {
      state.exit = { code: code ?? null, signal: signal ?? null }
      exited()
      // Removing a dead child, tinypool still sends it a teardown task, and the send throws in
      // a port listener of this thread: mark the wrapper terminating so that it sends nothing.
      if (!isThread) (worker as { isTerminating?: boolean }).isTerminating = true
      if (!state.ended && !state.errored) {
        // A thread that called process.exit(): tinypool only listens for 'error'.
        state.errored = true
        worker.emit('error', Object.assign(new Error('the host exited'), { [synthetic]: true }))
      }
    })
    hosts.set(state.id, state)
  }
}

const synthetic = Symbol('palitra.pool.syntheticExit')

function hostOf(task: PoolTask): HostState | undefined {
  const id = task.hostSlot ? Atomics.load(task.hostSlot, 0) : task.pid
  return id > 0 ? hosts.get(id) : undefined
}

/** Stop a host now: SIGKILL a child (a runaway may ignore SIGTERM), terminate a thread. */
function killHost(state: HostState): void {
  state.ended = true
  if (!isThread) {
    try {
      process.kill(state.id, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  state.terminate().catch(() => {})
}

function answerSteps(task: PoolTask, reply: (step: number) => Reply): void {
  for (const [step, waiter] of [...task.waiters]) {
    task.waiters.delete(step)
    waiter(reply(step))
  }
}

/** Forget hosts that are gone and no task can ask about any more. */
function forgetExited(): void {
  for (const [id, state] of hosts) {
    if (state.exit && ![...tasks.values()].some((task) => hostOf(task) === state)) hosts.delete(id)
  }
}

function endTask(task: PoolTask): void {
  tasks.delete(task.id)
  if (task.iterator !== undefined) iterators.delete(task.iterator)
  adopt()
}

function onOpenReply(task: PoolTask, message: FromHost | Started): void {
  if ('started' in message) {
    task.pid = message.started
    adopt()
    return
  }
  const waiter = task.waiters.get(message.step)
  task.waiters.delete(message.step)
  waiter?.(fromWire(message.reply))
}

/** A host's reply as it arrived: a child's comes as structured-clone bytes (ipc.ts). */
function fromWire(reply: Reply | IpcBytes): Reply {
  return reply instanceof Uint8Array || typeof reply === 'string'
    ? (cloneFromBytes(bytesFromIpc(reply)) as Reply)
    : reply
}

function onFinal(task: PoolTask, final: FinalReply): void {
  endTask(task)
  const waiter = task.waiters.get(final.step)
  task.waiters.delete(final.step)
  waiter?.(fromWire(final.reply))
  // Nothing else can answer a step of a task that ended.
  answerSteps(task, () => failure(errors.iteratorHostGone({ backend })))
  forgetExited()
}

async function onFailed(task: PoolTask, error: unknown): Promise<void> {
  endTask(task)
  if (task.replaced) return
  if (closing) {
    answerSteps(task, () =>
      failure(errors.closed({ backend, moduleUrl: init.moduleUrl, closing: true })),
    )
    return
  }
  // The host died: say how, once its exit has been seen (an 'error' comes before the 'exit').
  const state = hostOf(task) ?? [...hosts.values()].find((host) => host.errored && !host.exit)
  if (state && !state.exit) await Promise.race([state.exited, delay(1_000)])
  const uncaught =
    error instanceof Error &&
    !(error as { [synthetic]?: boolean })[synthetic] &&
    error.message !== 'Worker exited unexpectedly'
  const outOfMemory = (error as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY'
  const report: DeathReport = {
    exitCode: state?.exit?.code ?? undefined,
    signal: state?.exit?.signal ?? undefined,
    ...(outOfMemory
      ? { reason: 'out of memory under resourceLimits' }
      : uncaught
        ? { reason: 'uncaught exception' }
        : {}),
  }
  answerSteps(task, () =>
    failure(
      errors.crashed({
        backend,
        hostKind,
        what: task.what,
        report,
        cause: uncaught ? error : undefined,
      }),
    ),
  )
  forgetExited()
}

/** Start one pool task for `request` on a free host. */
function startTask(request: HostRequest): PoolTask {
  const id = ++nextTask
  const task: PoolTask = {
    id,
    controller: new AbortController(),
    hostSlot: isThread ? new Int32Array(new SharedArrayBuffer(4)) : undefined,
    pid: 0,
    send: undefined,
    waiters: new Map(),
    lastStep: 0,
    iterator: undefined,
    replaced: false,
    what: describeRequest(request),
  }
  tasks.set(id, task)
  const payload: HostTask = {
    id,
    moduleUrl: init.moduleUrl,
    backend,
    hostKind,
    teardownGraceMs: init.teardownGraceMs,
    cwd: init.cwd,
    ...(isThread
      ? { request }
      : { requestBytes: bytesToIpc(cloneToBytes(request), init.ipc), ipc: init.ipc }),
    ...(task.hostSlot ? { hostSlot: task.hostSlot } : {}),
  }
  let run: Promise<FinalReply>
  if (isThread) {
    const { port1, port2 } = new MessageChannel()
    port1.on('message', (message: FromHost) => onOpenReply(task, message))
    // The pool refs what it needs while the task runs; this port must not hold the relay open.
    port1.unref()
    task.send = (message) => port1.postMessage(message)
    run = pool.run(
      { ...payload, port: port2 },
      {
        signal: task.controller.signal,
        transferList: [port2 as TransferListItem],
      },
    )
    run.finally(() => port1.close()).catch(() => {})
  } else {
    // tinypool hands a child's unknown IPC messages to the channel of its current task: they
    // carry their task's id, so any channel can route them.
    const link: TinypoolChannel = {
      onMessage: (deliver) => {
        task.send = (message) => deliver({ palitraTask: id, message } satisfies Tagged<ToHost>)
      },
      postMessage: routeFromChild,
    }
    run = pool.run(payload, { signal: task.controller.signal, channel: link })
  }
  run.then(
    (final) => onFinal(task, final),
    (error) => void onFailed(task, error),
  )
  adopt()
  return task
}

function routeFromChild(message: unknown): void {
  const tagged = message as Tagged<FromHost | Started> | undefined
  if (typeof tagged?.palitraTask !== 'number') return
  const task = tasks.get(tagged.palitraTask)
  if (task) onOpenReply(task, tagged.message)
}

function waitStep(task: PoolTask, step: number): Promise<Reply> {
  return new Promise((resolve) => task.waiters.set(step, resolve))
}

/** Hosts held by an open iterator: each waits for the caller, who is blocked. */
function heldByIterators(): number {
  return iterators.size
}

async function serveCall(id: number, request: Extract<HostRequest, { op: 'call' }>) {
  if (heldByIterators() >= init.size) {
    return failure(errors.poolHeld({ backend, hostKind, size: init.size }))
  }
  const task = startTask(request)
  inFlight.set(id, { parts: [{ task, step: 0 }], answered: false })
  const reply = await waitStep(task, 0)
  const local =
    reply.ok && typeof reply.value === 'object' && reply.value !== null
      ? (reply.value as Record<string, number>)[iteratorHandleTag]
      : undefined
  // Id 0 wraps a task's own result that carries the tag (core's lookalikeHandle): a value.
  if (local === undefined || local === 0) return reply
  const iterator = ++nextIterator
  task.iterator = iterator
  iterators.set(iterator, task)
  return { ok: true, value: { [iteratorHandleTag]: iterator } } satisfies Reply
}

async function serveStep(id: number, request: Extract<HostRequest, { op: 'next' | 'return' }>) {
  const task = iterators.get(request.iterator)
  if (!task?.send) {
    if (request.op === 'return') return { ok: true, value: { done: true } } satisfies Reply
    return failure(errors.notFound({ backend, kind: 'iterator', id: request.iterator }))
  }
  const step = ++task.lastStep
  inFlight.set(id, { parts: [{ task, step }], answered: false })
  const reply = waitStep(task, step)
  task.send({ step, request })
  return reply
}

/** Load the module on every host kept running, so start-up errors surface now. */
async function serveLoad(id: number) {
  const parts = Array.from({ length: Math.max(1, init.minSize) }, () => ({
    task: startTask({ op: 'load' }),
    step: 0,
  }))
  inFlight.set(id, { parts, answered: false })
  const replies = await Promise.all(parts.map((part) => waitStep(part.task, part.step)))
  return replies.find((reply) => !reply.ok) ?? { ok: true }
}

/** End every host: tinypool's teardown task in each (bounded), then whatever is left, by force. */
async function serveTeardown(graceMs: number): Promise<Reply> {
  closing = true
  adopt()
  const watched = [...hosts.values()]
  const destroyed = pool.destroy().then(
    () => true,
    () => true,
  )
  const inTime = await Promise.race([destroyed, delay(graceMs + 250).then(() => false)])
  if (!inTime) for (const state of watched) if (!state.exit) killHost(state)
  await Promise.race([Promise.all(watched.map((state) => state.exited)), delay(1_000)])
  return { ok: true }
}

/**
 * A child host: what crossed to this thread may still not reach another process (shared
 * memory), and tinypool's own send would throw it where no caller hears: refuse it here.
 */
function unsendable(request: HostRequest): Reply | undefined {
  if (isThread || (request.op !== 'call' && request.op !== 'batch')) return undefined
  const [direction, value] =
    request.op === 'call' ? (['args', request.args] as const) : (['calls', request.calls] as const)
  const refused = errors.unsendable({ backend, hostKind, direction, value, acrossProcesses: true })
  return refused && failure(refused)
}

function serve(id: number, request: HostRequest): Promise<Reply> {
  const refused = unsendable(request)
  if (refused) return Promise.resolve(refused)
  switch (request.op) {
    case 'call':
      return serveCall(id, request)
    case 'next':
    case 'return':
      return serveStep(id, request)
    case 'batch':
      return serveBatch(id, request)
    case 'load':
      return serveLoad(id)
    case 'teardown':
      return serveTeardown(request.graceMs)
    default:
      return Promise.resolve(
        failure(
          errors.invalidArgument({
            backend,
            message: `unknown request ${JSON.stringify((request as { op?: unknown }).op)}`,
          }),
        ),
      )
  }
}

/**
 * A timeout: the task's AbortSignal aborts in its host first; a task still running after
 * `abortGrace` has its host replaced. The caller waits for this answer (see `answersAborts`).
 */
function abort(id: number, note: AbortNote): void {
  const flight = inFlight.get(id)
  if (!flight) return
  const { what, timeoutMs } = note
  for (const { task, step } of flight.parts) task.send?.({ abort: step, what, timeoutMs })
  setTimeout(() => {
    if (flight.answered) return
    for (const { task, step } of flight.parts) {
      if (!task.waiters.has(step)) continue
      const replaced = stopRunning(task)
      const timeout = errors.timeout({ backend, hostKind, what, timeoutMs, replaced })
      answerSteps(task, () => failure(timeout))
    }
  }, init.abortGraceMs).unref()
}

/**
 * Stop a task that ignored its abort: tinypool drops it and its host (starting a replacement),
 * and the host is terminated here (see the top of this file). False when it never reached a host.
 */
function stopRunning(task: PoolTask): boolean {
  const state = hostOf(task)
  task.replaced = state !== undefined
  task.controller.abort()
  if (state) killHost(state)
  endTask(task)
  return task.replaced
}

/**
 * Replace a host tinypool counts as free but that still runs work nobody waits for (aborted calls
 * of a batch that ignored their signal): its exit, unasked for, makes tinypool drop it.
 */
function retireHost(task: PoolTask): void {
  const state = hostOf(task)
  if (!state || state.exit) return
  if (isThread) state.terminate().catch(() => {})
  else process.kill(state.id, 'SIGKILL')
}

type BatchRequest = Extract<HostRequest, { op: 'batch' }>

interface BatchPart {
  readonly task: PoolTask
  readonly step: 0
  /** Where each call of this part sits in the whole batch. */
  readonly indices: readonly number[]
}

/**
 * Split a batch across the free hosts, one part per host, each run concurrently inside its host
 * (so I/O-bound calls overlap there and CPU-bound ones use every host), answers mapped back.
 */
function splitBatch(request: BatchRequest, hostsFree: number): BatchPart[] {
  const total = request.calls.length
  const limit = request.concurrency ?? Number.POSITIVE_INFINITY
  const count = Math.max(1, Math.min(hostsFree, total, limit))
  const groups: number[][] = Array.from({ length: count }, () => [])
  // Round robin: neighbours in the input (often alike in cost) land on different hosts.
  for (let i = 0; i < total; i++) groups[i % count]!.push(i)
  return groups.map((indices, g) => {
    const share =
      request.concurrency === undefined
        ? undefined
        : Math.floor(request.concurrency / count) + (g < request.concurrency % count ? 1 : 0)
    const part: BatchRequest = {
      op: 'batch',
      calls: indices.map((i) => request.calls[i]!),
      mode: request.mode,
      abortGrace: request.abortGrace,
      ...(share === undefined || !Number.isFinite(share) ? {} : { concurrency: share }),
    }
    return { task: startTask(part), step: 0, indices }
  })
}

/** A failure that ends the whole batch: its deadline passed, or the runner is closing. */
function isBatchAbort(reply: Reply): boolean {
  if (reply.ok) return false
  const code = (reply.error as { palitraCode?: unknown } | undefined)?.palitraCode
  return code === 'ERR_PALITRA_TIMEOUT' || code === 'ERR_PALITRA_CLOSED'
}

function isReplaced(reply: Reply): boolean {
  const error = reply.ok ? undefined : (reply.error as { props?: { replaced?: unknown } })
  return isBatchAbort(reply) && error?.props?.replaced === true
}

async function serveBatch(id: number, request: BatchRequest): Promise<Reply> {
  const free = init.size - heldByIterators()
  if (free <= 0) return failure(errors.poolHeld({ backend, hostKind, size: init.size }))
  if (request.calls.length === 0) {
    const empty: BatchAnswer = request.mode === 'all' ? { values: [] } : { settled: [] }
    return { ok: true, value: empty }
  }
  const parts = splitBatch(request, free)
  const flight: InFlight = { parts, answered: false }
  inFlight.set(id, flight)
  const total = request.calls.length

  if (request.mode === 'allSettled') {
    const replies = await Promise.all(parts.map((part) => waitStep(part.task, part.step)))
    const ended = replies.find(isReplaced) ?? replies.find(isBatchAbort)
    if (ended) return ended
    const settled: BatchSettlement[] = new Array(total)
    parts.forEach((part, p) => {
      const reply = replies[p]!
      // A part whose host died: its calls, and only those, settle with that.
      const outcomes = reply.ok
        ? (reply.value as Extract<BatchAnswer, { settled: unknown }>).settled
        : part.indices.map(() => ({ status: 'rejected', reason: reply.error }) as const)
      part.indices.forEach((index, j) => {
        settled[index] = outcomes[j]!
      })
    })
    return { ok: true, value: { settled } satisfies BatchAnswer }
  }

  // 'all': the first part to fail ends the batch; the other parts are aborted.
  const values: unknown[] = new Array(total)
  let failed: Reply | undefined
  let replaced: Reply | undefined
  const abortOthers = () => {
    const what = describeRequest(request)
    const note = { what, timeoutMs: 0 }
    for (const part of parts)
      if (part.task.waiters.has(part.step)) part.task.send?.({ abort: 0, ...note })
    setTimeout(() => {
      for (const part of parts) {
        if (!part.task.waiters.has(part.step)) continue
        stopRunning(part.task)
        answerSteps(part.task, () => ({ ok: true }))
      }
    }, request.abortGrace).unref()
  }
  await Promise.all(
    parts.map(async (part) => {
      const reply = await waitStep(part.task, part.step)
      if (isReplaced(reply)) replaced = reply
      if (failed) return
      if (!reply.ok) {
        failed = reply
        abortOthers()
        return
      }
      const answer = reply.value as BatchAnswer
      if ('values' in answer) {
        part.indices.forEach((index, j) => {
          values[index] = answer.values[j]
        })
        return
      }
      if (!('failed' in answer)) return
      // Calls of this part ignored their abort: the host tinypool now counts as free is not.
      if (answer.runaway) retireHost(part.task)
      const whole: BatchAnswer = {
        failed: part.indices[answer.failed]!,
        error: answer.error,
        runaway: false,
      }
      failed = { ok: true, value: whole }
      abortOthers()
    }),
  )
  // Past the batch's deadline, a part whose host had to be replaced says so for the whole batch.
  if (replaced && failed && !failed.ok) return replaced
  return failed ?? { ok: true, value: { values } satisfies BatchAnswer }
}

/**
 * The caller stopped the channel (after close()'s teardown, or without one when it dropped this
 * session or found this thread stuck): no host may outlive this thread, and only this thread can
 * reap its children, so end them all and wait for their exits before this thread exits.
 */
channel.control.once('close', () => {
  closing = true
  adopt()
  const left = [...hosts.values()].filter((state) => !state.exit)
  for (const state of left) killHost(state)
  void Promise.race([Promise.all(left.map((state) => state.exited)), delay(2_000)]).then(() =>
    process.exit(0),
  )
})

const transport = channelTransport(channel)
// This thread runs no task code: it stays open for the next request as long as the runner lives.
transport.holdLoop(true)
transport.listen((id, read) => {
  let request: HostRequest
  try {
    request = read()
  } catch (error) {
    transport.reply(id, failure(error))
    return
  }
  serve(id, request).then(
    (reply) => {
      const flight = inFlight.get(id)
      inFlight.delete(id)
      if (flight) flight.answered = true
      transport.reply(id, reply)
    },
    (error) => {
      inFlight.delete(id)
      transport.reply(id, failure(error))
    },
  )
}, abort)
