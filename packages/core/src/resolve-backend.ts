import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { insideMicrotask } from './context.js'
import type { Backend, BackendName } from './contract.js'
import { errors } from './errors.js'
import { globalSlot } from './global-slot.js'
import { processState } from './process-state.js'

export const backendNames: readonly BackendName[] = ['worker', 'subprocess', 'deasync']

/** Where an application installs its backend: core's own tree, the app's cwd, its main script. */
function searchBases(): string[] {
  const bases = [import.meta.url, path.join(process.cwd(), 'noop.js')]
  if (process.argv[1]) bases.push(path.resolve(process.argv[1]))
  return bases
}

/**
 * Factories that backend packages announced as they were imported: one map per thread, whichever
 * copy of core looks. A name found here needs no `require` (which costs milliseconds even for a
 * package that is already imported) and means the very package the application imported.
 */
const announced = globalSlot(
  'palitra.backends.announced.v1',
  () => new Map<BackendName, () => Backend>(),
)

/**
 * What a backend package calls as it is imported, so that asking for it by name finds it at
 * once. The first announcement of a name wins, as the first `require` would.
 */
export function announceBackend(name: BackendName, factory: () => Backend): void {
  if (!announced.has(name)) announced.set(name, factory)
}

/**
 * Load a backend package by name, synchronously (`require` of an ES module, Node >= 20.19), from
 * wherever the application installed it. A library that depends on core alone gets it this way.
 */
function loadNamedBackend(name: BackendName): Backend | string {
  const cached = processState.backendsByName.get(name)
  if (cached) return cached
  const factory = announced.get(name)
  if (factory) {
    const backend = factory()
    processState.backendsByName.set(name, backend)
    return backend
  }
  const pkg = `@palitra/backend-${name}`
  let lastError: unknown
  for (const base of searchBases()) {
    const require = createRequire(base)
    if (!installedFor(require, pkg)) continue
    let exports: Record<string, unknown>
    try {
      exports = require(pkg)
    } catch (error) {
      lastError = error
      if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') continue
      return `${pkg} failed to load: ${(error as Error).message}`
    }
    const factory = exports[`${name}Backend`]
    if (typeof factory !== 'function') return `${pkg} does not export ${name}Backend()`
    const backend = factory() as Backend
    processState.backendsByName.set(name, backend)
    return backend
  }
  const why = (lastError as Error | undefined)?.message.split('\n')[0]
  return `${pkg} is not installed (${why ?? 'not found from core, the working directory or the main script'})`
}

/**
 * Whether `pkg` has a folder where `require` would look for it. A failed `require` costs a
 * thousand times more (the error and its require stack), and a library's own tree (core's, under
 * pnpm) usually has no backend: only the app's has.
 */
function installedFor(require: NodeJS.Require, pkg: string): boolean {
  const folders = require.resolve.paths(pkg) ?? []
  return folders.some((folder) => existsSync(path.join(folder, pkg, 'package.json')))
}

function checkAvailable(backend: Backend): Backend {
  const reason = backend.unavailableReason()
  if (reason) {
    throw errors.unavailable({ reason: `backend "${backend.name}" cannot run here: ${reason}` })
  }
  return backend
}

function byName(name: string, origin: string): Backend {
  if (!backendNames.includes(name as BackendName)) {
    throw errors.unavailable({
      reason: `unknown backend ${JSON.stringify(name)} (from ${origin}); known: ${backendNames.join(', ')}`,
    })
  }
  const found = loadNamedBackend(name as BackendName)
  if (typeof found === 'string') {
    throw errors.unavailable({ reason: `${found} (asked for by ${origin})` })
  }
  return checkAvailable(found)
}

function fromChoice(choice: unknown, origin: string): Backend {
  if (typeof choice === 'string') return byName(choice, origin)
  if (isBackend(choice)) return checkAvailable(choice)
  throw errors.expected({
    name: origin,
    expected: `a backend object or one of ${backendNames.join(', ')}`,
    value: choice,
  })
}

export function isBackend(value: unknown): value is Backend {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Backend).name === 'string' &&
    typeof (value as Backend).createSession === 'function' &&
    typeof (value as Backend).unavailableReason === 'function'
  )
}

/** Why auto resolution skips a backend that cannot block inside a microtask, if it must here. */
function microtaskReason(backend: Backend): string | undefined {
  if (backend.capabilities.worksInMicrotask) return undefined
  const inside = insideMicrotask()
  if (inside === undefined) {
    return 'it cannot block inside a microtask, and this runtime cannot tell whether this is one'
  }
  return inside
    ? 'it cannot block inside a microtask, where this runner is being created'
    : undefined
}

/** option > `setDefaultBackend()` > `PALITRA_BACKEND` > first installed backend that works here. */
export function resolveBackend(option: unknown): Backend {
  if (option !== undefined) return fromChoice(option, 'options.backend')
  if (processState.defaultBackend !== undefined) {
    return fromChoice(processState.defaultBackend, 'setDefaultBackend()')
  }
  const fromEnv = process.env.PALITRA_BACKEND
  if (fromEnv) return fromChoice(fromEnv, 'PALITRA_BACKEND')
  const reasons: string[] = []
  for (const name of backendNames) {
    const found = loadNamedBackend(name)
    const reason =
      typeof found === 'string' ? found : (found.unavailableReason() ?? microtaskReason(found))
    if (!reason) return found as Backend
    reasons.push(`${name}: ${reason}`)
  }
  throw errors.unavailable({
    reason: `no palitra backend works here; install one, e.g. npm i @palitra/backend-worker\n  ${reasons.join('\n  ')}`,
  })
}

/** Set the process-wide default backend (or clear it with `undefined`). Checked at once. */
export function setDefaultBackend(backend: Backend | BackendName | undefined): void {
  if (backend !== undefined) fromChoice(backend, 'setDefaultBackend()')
  processState.defaultBackend = backend
}
