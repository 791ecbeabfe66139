import { type HostRequest, iteratorHandleTag, lookalikeHandle } from '../contract.js'
import { errors } from '../errors.js'
import { type CallScope, runInScope } from '../scope.js'
import { runBatch } from './batch.js'
import { encodeThrown } from './error-codec.js'
import { findUncloneable } from './find-uncloneable.js'
import { normalizeLoadError } from './load-error.js'

type TaskModule = Record<string, unknown>

export interface TaskHost {
  /** Serve one request; resolves with the answer or rejects with the task's (or palitra's) error. */
  handle(request: HostRequest, scope: CallScope): Promise<unknown>
  /**
   * A call's result as the runner must receive it, for a backend that calls a task without
   * `handle` (a fast path): one that carries the iterator tag is wrapped so it stays a value.
   */
  wrapResult(value: unknown): unknown
}

export interface TaskHostOptions {
  /** How to load the module; default `import()`. */
  readonly load?: (moduleUrl: string) => Promise<TaskModule>
  /** Backend name for error messages. */
  readonly backend?: string
  /**
   * The host shares the caller's heap: batch answers keep errors and values as the very objects.
   * Default `false`: they are made to cross a thread or process boundary (errors through the
   * error codec, a value that could not cross settles its call with ERR_PALITRA_SERIALIZE).
   */
  readonly inProcess?: boolean
  /**
   * Start importing the module now, not when the load request comes: a host started for one
   * module then reads its files while it sets up the rest. Its failure is the load request's.
   */
  readonly loadAtOnce?: boolean
}

/**
 * A task's own result that the runner would take for an iterator handle (it carries the tag)
 * travels wrapped in a handle the runner unwraps. Every backend's answer to a call goes through it.
 */
export function wrapLookalikeHandle(value: unknown): unknown {
  return typeof value === 'object' && value !== null && iteratorHandleTag in value
    ? { [iteratorHandleTag]: lookalikeHandle, value }
    : value
}

function isAsyncGenerator(value: unknown): value is AsyncGenerator {
  return Object.prototype.toString.call(value) === '[object AsyncGenerator]'
}

/** An async iterator (not merely an async iterable such as a stream, which is a value). */
function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<AsyncIterableIterator<unknown>>
  return (
    isAsyncGenerator(value) ||
    (typeof candidate[Symbol.asyncIterator] === 'function' && typeof candidate.next === 'function')
  )
}

/** What to do about a TypeScript tasks module this runtime cannot load. */
function loadHint(moduleUrl: string, error: unknown): string {
  if (
    (error as { code?: string })?.code !== 'ERR_UNKNOWN_FILE_EXTENSION' ||
    !/\.[cm]?ts$/.test(moduleUrl)
  ) {
    return ''
  }
  return '. TypeScript tasks load on Node >= 22.18 (types stripped), or with a loader in execArgv (["--import", "tsx"]); worker threads of Node 20 ignore loaders, so there use the subprocess backend or compile the tasks'
}

function taskNames(module: TaskModule): string[] {
  return Object.keys(module).filter(
    (key) => typeof module[key] === 'function' && key !== 'teardown',
  )
}

/**
 * What runs beside a tasks module in every backend (in a worker, a child process, or in-process):
 * loads the module, dispatches calls, keeps remote iterators, gives each call its AbortSignal, and
 * runs the module's optional `teardown` export on close.
 */
export function createTaskHost(moduleUrl: string, options: TaskHostOptions = {}): TaskHost {
  const load = options.load ?? ((url: string) => import(url) as Promise<TaskModule>)
  const iterators = new Map<number, AsyncIterator<unknown>>()
  const liveScopes = new Set<CallScope>()
  let nextIterator = 1
  let module: TaskModule | undefined
  let exportsHaveNoPrototype = false
  let loading: Promise<TaskModule> | undefined
  if (options.loadAtOnce) {
    loading = load(moduleUrl)
    // Reported by the load request; unheard until then, it is no unhandled rejection.
    loading.catch(() => {})
  }

  const { backend } = options

  const loaded = (): TaskModule => {
    if (!module) {
      const cause = new Error('a call came before the load request')
      throw errors.startup({ backend, moduleUrl, kind: 'load', cause })
    }
    return module
  }

  const register = (iterable: unknown, name: string) => {
    let iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined
    const target = iterable as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null
    if (target && typeof target[Symbol.asyncIterator] === 'function') {
      iterator = target[Symbol.asyncIterator]!()
    } else if (target && typeof target[Symbol.iterator] === 'function') {
      iterator = target[Symbol.iterator]!()
    }
    if (!iterator) {
      throw errors.invalidArgument({
        backend,
        message: `task "${name}" did not return an iterable, so it cannot be iterated`,
      })
    }
    const id = nextIterator++
    iterators.set(id, iterator as AsyncIterator<unknown>)
    return { [iteratorHandleTag]: id }
  }

  const iteratorOf = (id: number) => {
    const iterator = iterators.get(id)
    if (!iterator) throw errors.notFound({ backend, kind: 'iterator', id })
    return iterator
  }

  const lookup = (name: string): ((...args: unknown[]) => unknown) => {
    const tasks = loaded()
    // A module namespace has no prototype, so a plain read cannot reach `toString` and friends;
    // `Object.hasOwn` on a namespace was a tight loop's largest single step here.
    const fn = exportsHaveNoPrototype || Object.hasOwn(tasks, name) ? tasks[name] : undefined
    if (typeof fn === 'function') return fn as (...args: unknown[]) => unknown
    throw errors.notFound({
      backend,
      kind: 'export',
      name,
      moduleUrl,
      exists: fn !== undefined,
      tasks: taskNames(tasks),
    })
  }

  /** The hot path: no async function frames, one `then`, the scope tracked for teardown. */
  const call = (
    request: Extract<HostRequest, { op: 'call' }>,
    scope: CallScope,
  ): Promise<unknown> => {
    let result: unknown
    try {
      const fn = lookup(request.name)
      liveScopes.add(scope)
      result = runInScope(scope, () => fn(...request.args))
    } catch (error) {
      liveScopes.delete(scope)
      return Promise.reject(error)
    }
    if (isAsyncGenerator(result)) {
      liveScopes.delete(scope)
      return Promise.resolve(register(result, request.name))
    }
    return Promise.resolve(result).then(
      (value) => {
        liveScopes.delete(scope)
        return request.iterate ? register(value, request.name) : wrapLookalikeHandle(value)
      },
      (error) => {
        liveScopes.delete(scope)
        throw error
      },
    )
  }

  const iteratorInBatch = (name: string, iterator: AsyncIterator<unknown>) => {
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => {})
    return errors.invalidArgument({
      backend,
      message: `task "${name}" returned an async iterator, which a batch cannot hold; step through it with runner.iterate("${name}", ...args)`,
    })
  }

  /** One call of a batch; liveScopes holds the batch's scope, whose abort reaches this one. */
  const startInBatch = (
    name: string,
    args: readonly unknown[],
    scope: CallScope,
  ): Promise<unknown> => {
    let result: unknown
    try {
      const fn = lookup(name)
      result = runInScope(scope, () => fn(...args))
    } catch (error) {
      return Promise.reject(error)
    }
    if (isAsyncIterator(result)) return Promise.reject(iteratorInBatch(name, result))
    return Promise.resolve(result).then((value) => {
      if (isAsyncIterator(value)) throw iteratorInBatch(name, value)
      return value
    })
  }

  const batchCalls = {
    start: startInBatch,
    refuse: (value: unknown, index: number) => {
      if (options.inProcess) return undefined
      if (findUncloneable(value, 'result') === undefined) return undefined
      return errors.serialize({
        backend,
        direction: 'result',
        call: index,
        value,
        cause: undefined,
      })
    },
    encodeError: options.inProcess ? (error: unknown) => error : encodeThrown,
  }

  const teardown = async (graceMs: number) => {
    for (const scope of liveScopes)
      scope.abort(errors.closed({ backend, moduleUrl, closing: true }))
    for (const iterator of iterators.values())
      void Promise.resolve(iterator.return?.()).catch(() => {})
    iterators.clear()
    const hook = module?.teardown
    if (typeof hook !== 'function') return
    let timer: NodeJS.Timeout | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(
          `[palitra] teardown of ${moduleUrl} did not finish within ${graceMs} ms\n`,
        )
        resolve()
      }, graceMs)
    })
    try {
      await Promise.race([hook(), grace])
    } catch (error) {
      process.stderr.write(
        `[palitra] teardown of ${moduleUrl} failed: ${(error as Error)?.stack ?? error}\n`,
      )
    } finally {
      clearTimeout(timer)
    }
  }

  const serve = async (request: Exclude<HostRequest, { op: 'call' }>, scope: CallScope) => {
    liveScopes.add(scope)
    try {
      switch (request.op) {
        case 'load':
          // serveHost splits such a load; a host that would drop `serve` must not answer at all.
          if (request.serve) {
            throw errors.invalidArgument({
              backend,
              message: 'a load with a request to serve after it goes through serveHost',
            })
          }
          if (!module) {
            try {
              module = await (loading ?? load(moduleUrl))
              exportsHaveNoPrototype = Object.getPrototypeOf(module) === null
            } catch (thrown) {
              loading = undefined
              const error = normalizeLoadError(thrown)
              throw errors.startup({
                backend,
                moduleUrl,
                kind: 'load',
                cause: error,
                hint: loadHint(moduleUrl, error),
              })
            }
          }
          return undefined
        case 'batch':
          loaded()
          return await runBatch(request, scope, batchCalls)
        case 'next': {
          const iterator = iteratorOf(request.iterator)
          const step = await runInScope(scope, () => iterator.next())
          if (step.done) iterators.delete(request.iterator)
          return { done: step.done === true, value: step.value }
        }
        case 'return': {
          const iterator = iterators.get(request.iterator)
          iterators.delete(request.iterator)
          await iterator?.return?.()
          return { done: true, value: undefined }
        }
        case 'teardown':
          await teardown(request.graceMs)
          return undefined
        default:
          throw errors.invalidArgument({
            backend,
            message: `unknown request ${JSON.stringify((request as { op?: unknown }).op)}`,
          })
      }
    } finally {
      liveScopes.delete(scope)
    }
  }

  return {
    handle: (request, scope) =>
      request.op === 'call' ? call(request, scope) : serve(request, scope),
    wrapResult: wrapLookalikeHandle,
  }
}
