import type { Backend, BackendName } from './contract.js'
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

type IsAny<T> = 0 extends 1 & T ? true : false

/** Names of the tasks a batch can run: every task but async generators (those need `iterate`). */
export type BatchTaskName<M> = {
  [K in TaskName<M>]: M[K] extends (...args: any[]) => infer R
    ? IsAny<R> extends true
      ? K
      : R extends AsyncGenerator<any, any, any>
        ? never
        : K
    : never
}[TaskName<M>]

/** One call of a batch: a task's name, then its arguments. */
export type TaskCall<M> = {
  [K in BatchTaskName<M>]: readonly [name: K, ...args: Parameters<Extract<M[K], AnyFunction>>]
}[BatchTaskName<M>]

/** What one call of a batch gives when it fulfils. */
export type BatchResult<M, C> = C extends readonly [infer K, ...unknown[]]
  ? K extends TaskName<M>
    ? Awaited<ReturnType<Extract<M[K], AnyFunction>>>
    : never
  : never

/** The results of `runner.all(calls)`, one per call, in order (a tuple of calls, a tuple). */
export type BatchResults<M, C extends readonly unknown[]> = {
  -readonly [I in keyof C]: BatchResult<M, C[I]>
}

/** The outcomes of `runner.allSettled(calls)`, one per call, in order. */
export type BatchSettledResults<M, C extends readonly unknown[]> = {
  -readonly [I in keyof C]: PromiseSettledResult<BatchResult<M, C[I]>>
}

/** Names of the tasks `runner.map` can call: those that take one argument (the input). */
export type MapTaskName<M> = {
  [K in BatchTaskName<M>]: [MapInput<M[K]>] extends Parameters<Extract<M[K], AnyFunction>>
    ? K
    : never
}[BatchTaskName<M>]

/** The input `runner.map` gives task `F` as its argument. */
export type MapInput<F> = Parameters<Extract<F, AnyFunction>>[0]

/** A remote async iterator seen from sync code. `break` in a for-of calls the task's `return()`. */
export interface TaskIterator<T> extends IterableIterator<T>, Disposable {
  return(value?: unknown): IteratorResult<T>
}

// ---------------------------------------------------------------- runners

export interface RunnerOptions {
  /** Backend object or name; default: `setDefaultBackend()`, then `PALITRA_BACKEND`, then auto. */
  backend?: Backend | BackendName
  /**
   * Per-call deadline in ms, for every call unless the call says otherwise; a runner's first call
   * (which may travel with the load) counts it from the end of the load. Default: `Infinity`.
   */
  timeout?: number
  /** Deadline in ms for starting the host and loading the tasks module. Default: 30 000. */
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

/** Options of `all`, `allSettled` and `map`. */
export interface BatchOptions {
  /**
   * Deadline in ms for the whole batch: past it every pending call is aborted and the batch is
   * ERR_PALITRA_TIMEOUT. Default: the runner's `timeout`.
   */
  timeout?: number
  /** How many calls run at once (a positive integer, or `Infinity`). Default: all of them. */
  concurrency?: number
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
   * Run many calls concurrently in the host, blocking once; their results in the order of
   * `calls`. The first rejection is thrown as itself and the other calls' AbortSignals abort.
   */
  all<const C extends readonly TaskCall<M>[]>(calls: C, options?: BatchOptions): BatchResults<M, C>
  /**
   * Run many calls concurrently in the host, blocking once; every outcome in order, as
   * `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }` (palitra's own errors
   * for one call, such as ERR_PALITRA_NOT_FOUND, are reasons too).
   */
  allSettled<const C extends readonly TaskCall<M>[]>(
    calls: C,
    options?: BatchOptions,
  ): BatchSettledResults<M, C>
  /**
   * Call task `name` once per input (the input is its argument), concurrently in the host, at
   * most `options.concurrency` at once; the results in order. Fails as `all` does.
   */
  map<K extends MapTaskName<M>>(
    name: K,
    inputs: Iterable<MapInput<M[K]>>,
    options?: BatchOptions,
  ): Awaited<ReturnType<Extract<M[K], AnyFunction>>>[]
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
