import { isMainThread } from 'node:worker_threads'
import { makeStdioPipesBlocking } from './blocking-stdio.js'
import { PalitraError } from './errors.js'
import { describe, invalid, resolveCallTimeout, resolveRunnerOptions } from './options.js'
import { type Closable, processState } from './process-state.js'
import { resolveBackend } from './resolve-backend.js'
import { teardownOnFatalSignals } from './signal-teardown.js'
import { toModuleUrl } from './tasks-url.js'
import {
  type Backend,
  type CallOptions,
  type HostRequest,
  type IteratorHandle,
  iteratorHandleTag,
  type ResolvedRunnerOptions,
  type Runner,
  type RunnerOptions,
  type RunnerState,
  type Session,
  type TaskIterator,
  type UntypedTasks,
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
  // Signals reach the main thread only (a worker thread cannot listen for them).
  if (isMainThread) teardownOnFatalSignals(closeAllRunners)
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
    installExitHook()
    // Task output written to a pipe must land in order with ours, before the call returns.
    makeStdioPipesBlocking()
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

  run(fn: (...args: any[]) => unknown, ...args: unknown[]): any {
    if (typeof fn !== 'function') throw invalid(`run() takes a function, got ${describe(fn)}`)
    if (!this.#backend.capabilities.closures) {
      throw new PalitraError(
        'ERR_PALITRA_UNAVAILABLE',
        'run() needs a backend that runs closures in-process; use the deasync backend, or export the function from the tasks module and call() it',
        { backend: this.#backend.name },
      )
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
    return isIteratorHandle(answer) ? this.#wrapIterator(answer, timeout) : answer
  }

  #iterate(name: unknown, args: unknown[], timeout: number): TaskIterator<unknown> {
    checkTaskName(name)
    const answer = this.#request({ op: 'call', name, args, iterate: true }, timeout)
    return this.#wrapIterator(answer as IteratorHandle, timeout)
  }

  #request(request: HostRequest, timeout: number): unknown {
    return this.#withSession((session) => session.request(request, timeout))
  }

  /** Every blocking step goes through here: state checks, re-entrancy, host replacement. */
  #withSession<T>(use: (session: Session) => T): T {
    if (this.#state === 'closed' || this.#state === 'closing') {
      throw new PalitraError('ERR_PALITRA_CLOSED', `runner for ${this.moduleUrl} is closed`, {
        backend: this.#backend.name,
      })
    }
    if (this.#busy) {
      throw new PalitraError(
        'ERR_PALITRA_DEADLOCK',
        'a task called back into the runner that is waiting for it; this wait could never end',
        { backend: this.#backend.name },
      )
    }
    this.#busy = true
    try {
      const session = this.#box.session ?? this.#startSession()
      try {
        return use(session)
      } catch (error) {
        if (this.#box.session === session && !session.alive()) this.#dropSession()
        throw error
      }
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
    try {
      session.request({ op: 'load' }, this.#options.startupTimeout)
    } catch (error) {
      session.close(0)
      this.#state = 'idle'
      throw error
    }
    this.#box.session = session
    this.#generation++
    this.#state = 'ready'
    return session
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
        throw new PalitraError('ERR_PALITRA_CRASHED', 'the host that held this iterator is gone', {
          backend: this.#backend.name,
        })
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

function checkTaskName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new PalitraError(
      'ERR_PALITRA_NOT_FOUND',
      `a task name must be a non-empty string, got ${describe(name)}`,
    )
  }
}

/** Create a runner for one tasks module. Nothing starts until the first call or `start()`. */
export function createRunner<M = UntypedTasks>(
  tasks: string | URL,
  options: RunnerOptions = {},
): Runner<M> {
  return new RunnerImpl<M>(tasks, options) as unknown as Runner<M>
}
