import { makeStdioPipesBlocking } from './blocking-stdio.js'
import {
  type Backend,
  type BatchAnswer,
  type BatchSettlement,
  type IteratorHandle,
  iteratorHandleTag,
  lookalikeHandle,
  type ServedRequest,
  type Session,
} from './contract.js'
import { describe, errors, isPalitraError, type PalitraError } from './errors.js'
import { decodeThrown } from './host/error-codec.js'
import { resolveBatchOptions, resolveCallTimeout, resolveRunnerOptions } from './options.js'
import { type Closable, processState } from './process-state.js'
import { resolveBackend } from './resolve-backend.js'
import { teardownOnFatalSignals } from './signal-teardown.js'
import { toModuleUrl } from './tasks-url.js'
import type {
  BatchOptions,
  CallOptions,
  ResolvedRunnerOptions,
  Runner,
  RunnerOptions,
  RunnerState,
  TaskIterator,
  UntypedTasks,
} from './types.js'

/** What the finalizer may hold: the session, never the runner itself. */
interface SessionBox {
  session: Session | undefined
  teardownGrace: number
}

const sessionFinalizer = new FinalizationRegistry<SessionBox>((box) => closeBox(box))

function closeBox(box: SessionBox): void {
  const session = box.session
  box.session = undefined
  session?.close(box.teardownGrace)
}

function installExitHook(): void {
  if (processState.exitHookInstalled) return
  processState.exitHookInstalled = true
  // Teardown must run even when nobody called close(); 'exit' allows only sync work, which is ours.
  process.on('exit', () => closeAllRunners())
  // Signals reach the main thread only; in a worker thread these listeners are never called.
  teardownOnFatalSignals(closeAllRunners)
}

/** Close every open runner of this thread (shared or not). */
export function closeAllRunners(): void {
  for (const ref of [...processState.openRunners]) ref.deref()?.close()
  processState.openRunners.clear()
  processState.shared.clear()
}

function isIteratorHandle(value: unknown): value is IteratorHandle {
  return typeof value === 'object' && value !== null && iteratorHandleTag in value
}

class RunnerImpl<M> implements Runner<M>, Closable {
  readonly moduleUrl: string
  readonly backend: Pick<Backend, 'name' | 'capabilities'>
  readonly #backend: Backend
  readonly #options: ResolvedRunnerOptions
  readonly #box: SessionBox
  readonly #ref = new WeakRef<Closable>(this)
  #state: RunnerState = 'idle'
  /** Bumped whenever the host is replaced; iterators of an older host are dead. */
  #generation = 0
  /** A request is in flight: a second one from this thread could only come from inside it. */
  #busy = false
  #tasks: unknown

  constructor(tasks: unknown, options: RunnerOptions) {
    this.moduleUrl = toModuleUrl(tasks)
    this.#options = resolveRunnerOptions(options)
    this.#backend = resolveBackend(options?.backend)
    this.backend = Object.freeze({
      name: this.#backend.name,
      capabilities: this.#backend.capabilities,
    })
    this.#box = { session: undefined, teardownGrace: this.#options.teardownGrace }
    processState.openRunners.add(this.#ref)
    sessionFinalizer.register(this, this.#box, this)
  }

  get state(): RunnerState {
    return this.#state
  }

  get tasks(): any {
    this.#tasks ??= new Proxy(Object.create(null), {
      get: (cache, name) => {
        // Not a task: keeps `await runner.tasks` and inspection from calling a remote 'then'.
        if (typeof name !== 'string' || name === 'then') return undefined
        cache[name] ??= (...args: unknown[]) => this.#call(name, args, this.#options.timeout)
        return cache[name]
      },
    })
    return this.#tasks
  }

  call(name: string, ...args: unknown[]): any {
    return this.#call(name, args, this.#options.timeout)
  }

  callWith(name: string, options: CallOptions, ...args: unknown[]): any {
    return this.#call(name, args, resolveCallTimeout(options, this.#options.timeout))
  }

  iterate(name: string, ...args: unknown[]): any {
    return this.#iterate(name, args, this.#options.timeout)
  }

  iterateWith(name: string, options: CallOptions, ...args: unknown[]): any {
    return this.#iterate(name, args, resolveCallTimeout(options, this.#options.timeout))
  }

  all(calls: unknown, options: BatchOptions = {}): any {
    return this.#batch('all', toCallList(calls), options)
  }

  allSettled(calls: unknown, options: BatchOptions = {}): any {
    return this.#batch('allSettled', toCallList(calls), options)
  }

  map(name: unknown, inputs: unknown, options: BatchOptions = {}): any {
    checkTaskName(name)
    const list = toList(inputs, 'map() takes an array (or iterable) of inputs')
    return this.#batch(
      'all',
      list.map((input) => [name, input] as const),
      options,
    )
  }

  run(fn: (...args: any[]) => unknown, ...args: unknown[]): any {
    if (typeof fn !== 'function') {
      throw errors.expected({ name: 'run() argument', expected: 'a function', value: fn })
    }
    if (!this.#backend.capabilities.closures) {
      throw errors.unavailable({
        backend: this.#backend.name,
        reason:
          'run() needs a backend that runs closures in-process; use the deasync backend, or export the function from the tasks module and call() it',
      })
    }
    return this.#withSession((session) => session.runClosure!(fn, args, this.#options.timeout))
  }

  start(): this {
    this.#withSession(() => undefined)
    return this
  }

  close(): void {
    if (this.#state === 'closed' || this.#state === 'closing') return
    this.#state = 'closing'
    try {
      closeBox(this.#box)
    } finally {
      this.#state = 'closed'
      processState.openRunners.delete(this.#ref)
      sessionFinalizer.unregister(this)
    }
  }

  [Symbol.dispose](): void {
    this.close()
  }

  #call(name: unknown, args: unknown[], timeout: number): unknown {
    checkTaskName(name)
    const answer = this.#request({ op: 'call', name, args }, timeout)
    if (!isIteratorHandle(answer)) return answer
    return answer[iteratorHandleTag] === lookalikeHandle
      ? answer.value
      : this.#wrapIterator(answer, timeout)
  }

  #iterate(name: unknown, args: unknown[], timeout: number): TaskIterator<unknown> {
    checkTaskName(name)
    const answer = this.#request({ op: 'call', name, args, iterate: true }, timeout)
    return this.#wrapIterator(answer as IteratorHandle, timeout)
  }

  #batch(
    mode: 'all' | 'allSettled',
    calls: readonly (readonly [string, ...unknown[]])[],
    options: BatchOptions,
  ): unknown[] | PromiseSettledResult<unknown>[] {
    const { timeout, concurrency } = resolveBatchOptions(
      options,
      this.#options.timeout,
      calls.length,
    )
    const request: ServedRequest = {
      op: 'batch',
      calls,
      mode,
      abortGrace: this.#options.abortGrace,
      ...(concurrency === undefined ? {} : { concurrency }),
    }
    try {
      return this.#request(request, timeout, readBatchAnswer)
    } catch (error) {
      // The host died under the batch: that is each call's outcome, and the next call starts a
      // fresh host (a pool loses only the calls of the host that died).
      if (mode === 'allSettled' && isPalitraError(error, 'ERR_PALITRA_CRASHED')) {
        return calls.map(() => ({ status: 'rejected', reason: error }))
      }
      if (mode === 'allSettled' && isUnsendableArgument(error)) {
        return this.#settleSendable(calls, options, error)
      }
      throw error
    }
  }

  /**
   * allSettled whose request could not be sent for an argument: nothing ran, so the calls whose
   * arguments cannot cross settle with ERR_PALITRA_SERIALIZE and the others run as a batch.
   */
  #settleSendable(
    calls: readonly (readonly [string, ...unknown[]])[],
    options: BatchOptions,
    failure: PalitraError,
  ): PromiseSettledResult<unknown>[] {
    const refused = calls.map((call, i) => {
      const error = errors.serialize({
        backend: this.#backend.name,
        direction: 'calls',
        at: `calls[${i}]`,
        value: call,
        cause: failure,
      })
      return (error as PalitraError & { path?: string }).path === undefined ? undefined : error
    })
    // What the engine refused is nothing this walk can see: the batch's own error stands.
    if (!refused.some(Boolean)) throw failure
    const sendable = calls.filter((_, i) => !refused[i])
    const settled = this.#batch('allSettled', sendable, options) as PromiseSettledResult<unknown>[]
    let next = 0
    return refused.map((reason) => (reason ? { status: 'rejected', reason } : settled[next++]!))
  }

  /**
   * Send `request` and `read` its answer, both inside the session's use: what reading throws
   * (a batch's first failure) is judged with the session as it is then (a batch with runaways
   * has stopped its host).
   */
  #request<T = unknown>(
    request: ServedRequest,
    timeout: number,
    read: (answer: any) => T = (answer) => answer,
  ): T {
    return this.#withSession(
      (session) => read(session.request(request, timeout)),
      (session) => read(session.loadThen!(request, this.#options.startupTimeout, timeout)),
    )
  }

  /**
   * Every blocking step goes through here: state checks, re-entrancy, host replacement. A new
   * host is loaded first; `loadThen`, given, is how to load it and take this step at once, where
   * the session can (a first call then costs one round trip, not two).
   */
  #withSession<T>(use: (session: Session) => T, loadThen?: (session: Session) => T): T {
    if (this.#state === 'closed' || this.#state === 'closing') {
      throw errors.closed({ backend: this.#backend.name, moduleUrl: this.moduleUrl })
    }
    if (this.#busy) {
      throw errors.reentrant({ backend: this.#backend.name })
    }
    this.#busy = true
    let session = this.#box.session
    try {
      if (!session) {
        session = this.#startSession()
        if (loadThen && session.loadThen) return this.#loadThen(session, loadThen)
        this.#load(session)
      }
      return use(session)
    } catch (error) {
      if (session && this.#box.session === session && !session.alive()) this.#dropSession()
      throw error
    } finally {
      this.#busy = false
    }
  }

  #startSession(): Session {
    this.#state = 'starting'
    const session = this.#backend.createSession({
      moduleUrl: this.moduleUrl,
      options: this.#options,
    })
    // Done while an out-of-thread host boots, not before it starts: both are needed only once a
    // host exists, and making stdio blocking is the first use of process.stdout (its creation)
    // in many processes. Task output written to a pipe lands in order with ours from here on.
    installExitHook()
    makeStdioPipesBlocking()
    return session
  }

  #load(session: Session): void {
    try {
      session.request({ op: 'load' }, this.#options.startupTimeout)
    } catch (error) {
      this.#abandon(session)
      // A load past startupTimeout is a start-up failure, whichever backend timed it.
      if (!isPalitraError(error, 'ERR_PALITRA_TIMEOUT')) throw error
      throw errors.startup({
        backend: this.#backend.name,
        moduleUrl: this.moduleUrl,
        kind: 'slow',
        cause: error,
      })
    }
    this.#adopt(session)
  }

  #loadThen<T>(session: Session, loadThen: (session: Session) => T): T {
    let value: T
    try {
      value = loadThen(session)
    } catch (error) {
      // Still alive: the module loaded, and the error is the request's own.
      if (session.alive()) this.#adopt(session)
      else this.#abandon(session)
      throw error
    }
    this.#adopt(session)
    return value
  }

  /** A new session, loaded, becomes the runner's. */
  #adopt(session: Session): void {
    this.#box.session = session
    this.#generation++
    this.#state = 'ready'
  }

  /** A new session whose load failed is freed; the next call starts another. */
  #abandon(session: Session): void {
    session.close(0)
    this.#state = 'idle'
  }

  #dropSession(): void {
    const session = this.#box.session
    this.#box.session = undefined
    session?.close(0)
    if (this.#state !== 'closing' && this.#state !== 'closed') this.#state = 'idle'
  }

  #wrapIterator(handle: IteratorHandle, timeout: number): TaskIterator<unknown> {
    const id = handle[iteratorHandleTag]
    const generation = this.#generation
    let done = false
    const step = (op: 'next' | 'return'): IteratorResult<unknown> => {
      if (done) return { done: true, value: undefined }
      if (generation !== this.#generation && this.#state !== 'closed') {
        done = true
        throw errors.iteratorHostGone({ backend: this.#backend.name })
      }
      try {
        const result = this.#request({ op, iterator: id }, timeout) as IteratorResult<unknown>
        if (result.done) done = true
        return result
      } catch (error) {
        done = true
        throw error
      }
    }
    const iterator: TaskIterator<unknown> = {
      next: () => step('next'),
      return: (value?: unknown) => {
        if (done || this.#state === 'closed') {
          done = true
          return { done: true, value }
        }
        step('return')
        return { done: true, value }
      },
      [Symbol.iterator]() {
        return iterator
      },
      [Symbol.dispose]() {
        iterator.return()
      },
    }
    return iterator
  }
}

function checkTaskName(name: unknown, where = ''): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw errors.notFound({ kind: 'name', name, where })
  }
}

/** An array, or the items of any other iterable but a string. */
function toList(value: unknown, expected: string): unknown[] {
  if (Array.isArray(value)) return value
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
  ) {
    throw errors.invalidArgument({ message: `${expected}, got ${describe(value)}` })
  }
  return Array.from(value as Iterable<unknown>)
}

function toCallList(calls: unknown): (readonly [string, ...unknown[]])[] {
  const list = toList(calls, 'a batch takes an array of [name, ...args] calls')
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]
    if (!Array.isArray(entry)) {
      throw errors.expected({
        name: `calls[${i}]`,
        expected: 'an array [name, ...args]',
        value: entry,
      })
    }
    checkTaskName(entry[0], ` at calls[${i}][0]`)
  }
  return list as (readonly [string, ...unknown[]])[]
}

/** ERR_PALITRA_SERIALIZE for an argument of a batch, raised before the request was sent. */
function isUnsendableArgument(error: unknown): error is PalitraError {
  return (
    isPalitraError(error, 'ERR_PALITRA_SERIALIZE') &&
    String((error as { path?: unknown }).path).startsWith('calls[')
  )
}

/** The host's batch answer as the caller sees it: errors rebuilt, the first failure thrown. */
function readBatchAnswer(answer: BatchAnswer): unknown[] | PromiseSettledResult<unknown>[] {
  if ('values' in answer) return answer.values as unknown[]
  const localStack = new Error().stack
  if ('settled' in answer) {
    return answer.settled.map((outcome: BatchSettlement) =>
      outcome.status === 'fulfilled'
        ? { status: 'fulfilled', value: outcome.value }
        : { status: 'rejected', reason: decodeThrown(outcome.reason, localStack) },
    )
  }
  throw decodeThrown(answer.error, localStack)
}

/** Create a runner for one tasks module. Nothing starts until the first call or `start()`. */
export function createRunner<M = UntypedTasks>(
  tasks: string | URL,
  options: RunnerOptions = {},
): Runner<M> {
  return new RunnerImpl<M>(tasks, options) as unknown as Runner<M>
}
