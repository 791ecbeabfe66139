import { types } from 'node:util'
import type { HostRequest, ResolvedRunnerOptions, Session } from '@palitra/core'
import { CallScope, createTaskHost, microtasks } from '@palitra/core/backend'
import type { LoopPump } from './addon.js'
import { loadTaskModule } from './load-module.js'
import { threadState } from './thread-state.js'
import { blockOn } from './wait.js'

/** Teardown gets its grace period, then this much more before close() stops waiting for it. */
const teardownSlackMs = 1_000

function describeRequest(request: HostRequest, moduleUrl: string): () => string {
  switch (request.op) {
    case 'call':
      return () => `task "${request.name}"`
    case 'batch':
      return () => `a batch of ${request.calls.length} call${request.calls.length === 1 ? '' : 's'}`
    case 'load':
      return () => `loading ${moduleUrl}`
    case 'teardown':
      return () => `the teardown of ${moduleUrl}`
    default:
      return () => `step ${request.op}() of a task iterator`
  }
}

type AsyncTask = (...args: readonly unknown[]) => Promise<unknown>

/**
 * The hot path of a call: an exported `async function` called straight, its promise waited for,
 * which is what the task host would do for it at a third of the cost (no extra promise, no
 * iterator check: an async function's result is always a plain promise). Anything else (a sync or
 * generator function, a missing export, `iterate()`) goes through the host, which owns those rules.
 * The host tracks live calls to abort them at teardown; here none outlives its wait unless it
 * timed out, and then its signal is aborted already.
 */
function directTask(
  tasks: Record<string, unknown> | undefined,
  name: string,
): AsyncTask | undefined {
  // A module namespace has no prototype, so whatever it has is an export of its own (and
  // `Object.hasOwn` on one costs more than the rest of the call).
  const fn = tasks?.[name]
  return typeof fn === 'function' &&
    (fn as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'AsyncFunction'
    ? (fn as AsyncTask)
    : undefined
}

/**
 * A host on the caller's own thread: the task host beside the application's own instance of the
 * tasks module, every request answered by pumping the loop until its promise settles.
 */
export function createDeasyncSession(
  moduleUrl: string,
  runner: ResolvedRunnerOptions,
  pump: LoopPump,
): Session {
  let tasks: Record<string, unknown> | undefined
  const host = createTaskHost(moduleUrl, {
    backend: 'deasync',
    inProcess: true,
    load: (url) =>
      loadTaskModule(url).then((loaded) => {
        if (types.isModuleNamespaceObject(loaded)) tasks = loaded
        return loaded
      }),
  })
  let open = true

  const wait = (start: () => unknown, scope: CallScope, timeoutMs: number, what: () => string) =>
    blockOn(start, { pump, timeoutMs, abortGraceMs: runner.abortGrace, scope, what })

  return {
    request(request, timeoutMs) {
      const scope = new CallScope()
      const task =
        request.op === 'call' && !request.iterate ? directTask(tasks, request.name) : undefined
      if (task) {
        const { args } = request as { readonly args: readonly unknown[] }
        return host.wrapResult(
          wait(
            () => scope.run(() => task(...args)),
            scope,
            timeoutMs,
            describeRequest(request, moduleUrl),
          ),
        )
      }
      return wait(
        () => host.handle(request, scope),
        scope,
        timeoutMs,
        describeRequest(request, moduleUrl),
      )
    },

    runClosure(fn, args, timeoutMs) {
      const scope = new CallScope()
      return wait(
        () => scope.run(() => fn(...args)),
        scope,
        timeoutMs,
        () => `runner.run(${fn.name || 'an anonymous function'})`,
      )
    },

    // The host is this thread: it dies only with the caller.
    alive: () => open,

    close(graceMs) {
      if (!open) return
      open = false
      const scope = new CallScope()
      const teardown = () => host.handle({ op: 'teardown', graceMs }, scope)
      const what = describeRequest({ op: 'teardown', graceMs }, moduleUrl)
      try {
        if (threadState.waitingFor === undefined && !microtasks.inside()) {
          wait(teardown, scope, graceMs + teardownSlackMs, what)
        } else {
          // Closing inside a microtask or inside another wait (a finalizer, `using` in an async
          // function): this thread cannot block, but in-process the teardown goes on by itself.
          void teardown().catch(() => {})
        }
      } catch (error) {
        // close() never throws. A failing teardown export is reported by the host; this is only
        // reached when even its grace timer could not end the wait.
        process.stderr.write(`[palitra] [deasync] ${(error as Error)?.message ?? error}\n`)
      }
    },
  }
}
