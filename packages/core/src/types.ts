import type { PalitraError } from './errors.js'

// ---------------------------------------------------------------- tasks module typing

type AnyFunction = (...args: any[]) => any

/** What a runner's tasks are when no module type is given: any name, any arguments. */
export type UntypedTasks = Record<string, AnyFunction>

/** Names of the exports of `M` that are callable as tasks. */
export type TaskName<M> = {
  [K in keyof M]: M[K] extends AnyFunction ? K : never
}[keyof M] &
  string

/** What a synchronous call of task `F` gives: async generators become sync iterators. */
export type SyncResult<F> = F extends (...args: any[]) => AsyncGenerator<infer T, any, any>
  ? TaskIterator<T>
  : F extends (...args: any[]) => infer R
    ? Awaited<R>
    : never

/** What `iterate` yields for task `F` (an async or sync iterable). */
export type IteratedItem<F> = F extends (...args: any[]) => infer R
  ? Awaited<R> extends AsyncIterable<infer T> | Iterable<infer T>
    ? T
    : R extends AsyncIterable<infer T>
      ? T
      : unknown
  : never

/** The typed proxy `runner.tasks`: every task as a plain synchronous function. */
export type SyncTasks<M> = {
  readonly [K in TaskName<M>]: M[K] extends AnyFunction
    ? (...args: Parameters<M[K]>) => SyncResult<M[K]>
    : never
}

/** A remote async iterator seen from sync code. `break` in a for-of calls the task's `return()`. */
export interface TaskIterator<T> extends IterableIterator<T>, Disposable {
  return(value?: unknown): IteratorResult<T>
}

// ---------------------------------------------------------------- backends

/** What a backend can do; library code may branch on it. */
export interface Capabilities {
  /** Tasks run in the caller's own heap: module instance and state shared with the app. */
  readonly inProcess: boolean
  /** `runner.run(asyncFn, ...args)` accepts inline closures. */
  readonly closures: boolean
  /** Arguments and results are structured-cloned (functions, sockets cannot cross). */
  readonly serializes: boolean
  /** What a crashing task takes down: nothing else (`process`), its thread, or the caller. */
  readonly isolation: 'none' | 'thread' | 'process'
  /** `ArrayBuffer`s and `MessagePort`s in arguments and results can be transferred. */
  readonly transferables: boolean
  /** Can block inside a microtask (`.then` callback, after `await`, ESM top-level await). */
  readonly worksInMicrotask: boolean
  /** A dead host is replaced by a fresh one on the next call. */
  readonly restartsAfterCrash: boolean
  /** The host has its own Node flags, memory limit and environment. */
  readonly ownFlags: boolean
}

/** One request from a runner to the task host beside the tasks module. */
export type HostRequest =
  | { readonly op: 'load' }
  | {
      readonly op: 'call'
      readonly name: string
      readonly args: readonly unknown[]
      /** Always treat the result as an iterable and answer with an iterator handle. */
      readonly iterate?: boolean
    }
  | { readonly op: 'next'; readonly iterator: number }
  | { readonly op: 'return'; readonly iterator: number }
  | { readonly op: 'teardown'; readonly graceMs: number }

/** Marks a host answer that is a remote iterator rather than a value. */
export interface IteratorHandle {
  readonly [iteratorHandleTag]: number
  /** With id `lookalikeHandle`: a task's own result that carries the tag, sent as it is. */
  readonly value?: unknown
}
export const iteratorHandleTag = '__palitraIterator'
/** Iterator ids start at 1: this one wraps a result that would otherwise pass for a handle. */
export const lookalikeHandle = 0

/** A started host for one tasks module; what a backend gives a runner. */
export interface Session {
  /**
   * Send one request and block until it is answered. Returns the task's value, or throws the
   * task's own error or a `PalitraError`. `timeoutMs` of `Infinity` means no deadline.
   */
  request(request: HostRequest, timeoutMs: number): unknown
  /** False once the host died or was stopped; the runner then starts a fresh one. */
  alive(): boolean
  /** Run an inline async closure in the host; only where `capabilities.closures`. */
  runClosure?(fn: AnyFunction, args: readonly unknown[], timeoutMs: number): unknown
  /** Run the module's `teardown` (bounded by `graceMs`), then free the host. Never throws. */
  close(graceMs: number): void
}

/** What `createSession` is given. */
export interface SessionInit {
  /** `file:` URL of the tasks module. */
  readonly moduleUrl: string
  readonly options: ResolvedRunnerOptions
}

/** A backend: a name, what it can do, and how to start a host. Plain objects from factories. */
export interface Backend {
  readonly name: string
  readonly capabilities: Capabilities
  /** Why this backend cannot run in this runtime or context, or `undefined` when it can. Sync. */
  unavailableReason(): string | undefined
  /** Start a host for one runner. Sync; may block until the module is loaded. */
  createSession(init: SessionInit): Session
  /** Backend options, part of the registry key of `getRunner`. */
  readonly options?: object
}

/** A backend factory, as exported by each backend package (`workerBackend(options)`). */
export type BackendFactory<Options = Record<string, never>> = (options?: Options) => Backend

export type BackendName = 'worker' | 'deasync' | 'subprocess'

// ---------------------------------------------------------------- runners

export interface RunnerOptions {
  /** Backend object or name; default: `setDefaultBackend()`, then `PALITRA_BACKEND`, then auto. */
  backend?: Backend | BackendName
  /** Per-call deadline in ms, for every call unless the call says otherwise. Default: `Infinity`. */
  timeout?: number
  /** Deadline in ms for loading the tasks module. Default: 30 000. */
  startupTimeout?: number
  /** How long `close()` lets the module's `teardown` export run, in ms. Default: 5 000. */
  teardownGrace?: number
  /**
   * After a timeout, how long an aborted task gets to settle before its worker or child is
   * replaced, in ms. Default: 200.
   */
  abortGrace?: number
}

export interface ResolvedRunnerOptions {
  readonly timeout: number
  readonly startupTimeout: number
  readonly teardownGrace: number
  readonly abortGrace: number
}

export type RunnerState = 'idle' | 'starting' | 'ready' | 'closing' | 'closed'

/** Per-call options, given to `callWith`/`iterateWith`. */
export interface CallOptions {
  /** Deadline for this call in ms; overrides the runner's `timeout`. */
  timeout?: number
}

/** A persistent host for one tasks module, called synchronously. */
export interface Runner<M = UntypedTasks> extends Disposable {
  /** Where the runner is in its life; `close()` moves it to `'closed'` for good. */
  readonly state: RunnerState
  /** The backend in use: its name and capabilities. */
  readonly backend: Pick<Backend, 'name' | 'capabilities'>
  /** `file:` URL of the tasks module. */
  readonly moduleUrl: string
  /** Every task as a plain synchronous function. */
  readonly tasks: SyncTasks<M>
  /** Call task `name` and block until its promise settles. */
  call<K extends TaskName<M>>(
    name: K,
    ...args: Parameters<Extract<M[K], AnyFunction>>
  ): SyncResult<M[K]>
  /** `call` with per-call options. */
  callWith<K extends TaskName<M>>(
    name: K,
    options: CallOptions,
    ...args: Parameters<Extract<M[K], AnyFunction>>
  ): SyncResult<M[K]>
  /** Iterate the async (or sync) iterable a task returns, one blocking step at a time. */
  iterate<K extends TaskName<M>>(
    name: K,
    ...args: Parameters<Extract<M[K], AnyFunction>>
  ): TaskIterator<IteratedItem<M[K]>>
  /** `iterate` with per-call options (the timeout applies to each step). */
  iterateWith<K extends TaskName<M>>(
    name: K,
    options: CallOptions,
    ...args: Parameters<Extract<M[K], AnyFunction>>
  ): TaskIterator<IteratedItem<M[K]>>
  /**
   * Run an inline async closure and block for its result (closures and shared state, no
   * serialization). Only backends with `capabilities.closures` (deasync); others throw
   * `ERR_PALITRA_UNAVAILABLE`.
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Awaited<R>
  /** Start the host and load the module now rather than on the first call. */
  start(): this
  /** Run `teardown`, stop the host. Idempotent; later calls throw `ERR_PALITRA_CLOSED`. */
  close(): void
}

/** Errors a caller may see from palitra itself. */
export type { PalitraError }
