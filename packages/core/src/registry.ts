import { errors } from './errors.js'
import { processState } from './process-state.js'
import { isBackend, resolveBackend } from './resolve-backend.js'
import { createRunner } from './runner.js'
import { toModuleUrl } from './tasks-url.js'
import type { Runner, RunnerOptions, SyncResult, TaskName, UntypedTasks } from './types.js'

const forgetKey = new FinalizationRegistry<string>((key) => {
  const ref = processState.shared.get(key)
  if (ref && !ref.deref()) processState.shared.delete(key)
})

function registryKey(moduleUrl: string, options: RunnerOptions): string {
  const { backend, ...rest } = options
  const chosen = isBackend(backend) ? backend : resolveBackend(backend)
  const backendKey = `${chosen.name}:${JSON.stringify(chosen.options ?? {}, (_key, value) => (typeof value === 'bigint' ? String(value) : value))}`
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))
  return `${moduleUrl}\n${backendKey}\n${JSON.stringify(sorted)}`
}

/**
 * The shared runner for a tasks module: one per module URL + backend + options in this thread.
 * Held weakly: closed when nothing uses it any more, and on exit; never keeps the process alive.
 */
export function getRunner<M = UntypedTasks>(
  tasks: string | URL,
  options: RunnerOptions = {},
): Runner<M> {
  const moduleUrl = toModuleUrl(tasks)
  const key = registryKey(moduleUrl, options)
  const existing = processState.shared.get(key)?.deref() as Runner<M> | undefined
  if (existing && existing.state !== 'closed') return existing
  const runner = createRunner<M>(moduleUrl, options)
  processState.shared.set(key, new WeakRef(runner))
  forgetKey.register(runner, key)
  return runner
}

/**
 * A plain synchronous function for one export of a tasks module, backed by `getRunner`. Write it
 * once at module top level; the runner starts on the first call and lives as long as the function.
 */
export function syncFn<M = UntypedTasks, K extends TaskName<M> = TaskName<M>>(
  tasks: string | URL,
  exportName: K = 'default' as K,
  options: RunnerOptions = {},
): (...args: M[K] extends (...args: infer A) => any ? A : never) => SyncResult<M[K]> {
  if (typeof exportName !== 'string' || exportName === '') {
    throw errors.expected({
      name: 'syncFn() export name',
      expected: 'a non-empty string',
      value: exportName,
    })
  }
  const moduleUrl = toModuleUrl(tasks)
  let runner: Runner<M> | undefined
  return (...args) => {
    if (!runner || runner.state === 'closed') runner = getRunner<M>(moduleUrl, options)
    return (runner.call as (name: string, ...rest: unknown[]) => any)(exportName, ...args)
  }
}
