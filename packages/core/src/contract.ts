/**
 * The contract between a runner and its backend: what a backend package implements. A backend is
 * a plain object from a factory; its `createSession` starts one host for one runner, and the
 * runner sends that session `HostRequest`s, one blocking request at a time.
 */
import type { ResolvedRunnerOptions } from './types.js'

type AnyFunction = (...args: any[]) => any

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
  /**
   * Several hosts serve the runner at once (a pool): calls and batches run in parallel across
   * them, each host has its own instance of the tasks module (state is per host, so two calls
   * may see different instances), and an open iterator holds the host that made it.
   * False for every single-host backend.
   */
  readonly parallel: boolean
}

/** One request from a runner to the task host beside the tasks module. */
export type HostRequest =
  | {
      readonly op: 'load'
      /**
       * Served as soon as the module is loaded, in the same round trip: a runner's first request
       * (see `Session.loadThen`). Its answer is this request's answer.
       */
      readonly serve?: ServedRequest
    }
  | ServedRequest

/** What a host serves once its module is loaded. */
export type ServedRequest =
  | {
      readonly op: 'call'
      readonly name: string
      readonly args: readonly unknown[]
      /** Always treat the result as an iterable and answer with an iterator handle. */
      readonly iterate?: boolean
    }
  | {
      readonly op: 'batch'
      /** Each call as `[name, ...args]`; the answer keeps this order. */
      readonly calls: readonly (readonly [string, ...unknown[]])[]
      /** `all`: the first rejection ends the batch and aborts the rest; `allSettled`: every outcome. */
      readonly mode: 'all' | 'allSettled'
      /** At most this many calls in flight at once; absent: all of them. */
      readonly concurrency?: number
      /** `all`: how long the aborted rest may take to settle before they count as runaways, in ms. */
      readonly abortGrace: number
    }
  | { readonly op: 'next'; readonly iterator: number }
  | { readonly op: 'return'; readonly iterator: number }
  | { readonly op: 'teardown'; readonly graceMs: number }

/**
 * What a host answers a `batch` request with. Errors inside it are as the host's `encodeError`
 * left them (descriptors of the error codec across a boundary, the objects themselves in-process).
 * A host that split a batch (a pool) maps `failed` back to the index in the whole batch.
 */
export type BatchAnswer =
  /** `all`: every call fulfilled. */
  | { readonly values: readonly unknown[] }
  /** `allSettled`: every outcome, `reason` encoded. */
  | { readonly settled: readonly BatchSettlement[] }
  /**
   * `all`: call `failed` rejected first with `error`; the rest were aborted. `runaway`: some of
   * them ignored their AbortSignal past `abortGrace`, so the session must replace this host.
   */
  | { readonly failed: number; readonly error: unknown; readonly runaway: boolean }

export type BatchSettlement =
  | { readonly status: 'fulfilled'; readonly value: unknown }
  | { readonly status: 'rejected'; readonly reason: unknown }

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
  /**
   * Optional: load the module and serve `request` in one round trip, where a first call would
   * otherwise cost two (the load, then the call). Until the module is loaded, it fails as
   * `request({ op: 'load' }, startupTimeoutMs)` would (ERR_PALITRA_STARTUP), and the session is
   * then no longer alive; after, `request` has `timeoutMs` from the load and fails as
   * `request(request, timeoutMs)` would. Returns what `request` returns.
   */
  loadThen?(request: ServedRequest, startupTimeoutMs: number, timeoutMs: number): unknown
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
