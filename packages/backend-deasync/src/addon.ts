import { createRequire } from 'node:module'

/** What palitra needs of the `deasync` package: drain ticks, then run the libuv loop once. */
export interface LoopPump {
  runLoopOnce(): void
}

const require = createRequire(import.meta.url)
const loaded = new Map<string, LoopPump | string>()

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!
}

/**
 * Why this runtime has nothing for the addon to pump. The addon drives libuv's `uv_run` and Node's
 * `process._tickCallback`: Bun loads it but aborts the whole process at `uv_run`, so it must never
 * be called there; Deno has no `_tickCallback` (and no libuv loop).
 */
function runtimeMissing(): string | undefined {
  if (process.versions.bun) {
    return `Bun ${process.versions.bun} has no libuv event loop: the deasync addon's uv_run would abort the process`
  }
  if ('Deno' in globalThis) {
    return 'Deno has no libuv event loop or process._tickCallback for the deasync addon to pump'
  }
  if (typeof (process as { _tickCallback?: unknown })._tickCallback !== 'function') {
    return 'this runtime has no process._tickCallback, which pumping the event loop needs'
  }
  return undefined
}

function load(specifier: string): LoopPump | string {
  const missing = runtimeMissing()
  if (missing) return missing
  let exports: Partial<LoopPump>
  try {
    exports = require(specifier)
  } catch (error) {
    return `the native addon "${specifier}" did not load (${firstLine(error)}). Its install script may have been skipped (pnpm 10 and npm 11 skip them unless allowed: list deasync in pnpm.onlyBuiltDependencies), or it has no binary for ${process.platform}-${process.arch} on Node ${process.versions.node}`
  }
  return typeof exports?.runLoopOnce === 'function'
    ? (exports as LoopPump)
    : `"${specifier}" loaded but has no runLoopOnce(); it is not the deasync package`
}

/**
 * Load the addon on first use, never at import, and say why when it cannot load: a backend that
 * cannot run here is reported (`unavailableReason`, ERR_PALITRA_UNAVAILABLE), never a crash.
 * The verdict is kept: a failed native `require` is not retried on every call.
 */
export function loadPump(specifier: string): LoopPump | string {
  let found = loaded.get(specifier)
  if (found === undefined) {
    found = load(specifier)
    loaded.set(specifier, found)
  }
  return found
}
