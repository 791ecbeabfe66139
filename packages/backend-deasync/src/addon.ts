import { createRequire } from 'node:module'

/** What palitra needs of the `deasync` package: run the libuv loop once. */
export interface LoopPump {
  runLoopOnce(): void
}

const require = createRequire(import.meta.url)
const loaded = new Map<string, LoopPump | string>()

/**
 * Load the native addon lazily and say why when it cannot load (npm 11 and pnpm 10 may skip its
 * install script; no prebuilt binary for this platform): a backend that cannot run is reported,
 * never a crash at import.
 */
export function loadPump(specifier: string): LoopPump | string {
  let found = loaded.get(specifier)
  if (found === undefined) {
    try {
      const deasync = require(specifier) as Partial<LoopPump>
      found =
        typeof deasync.runLoopOnce === 'function'
          ? (deasync as LoopPump)
          : `${specifier} has no runLoopOnce()`
    } catch (error) {
      found = `the native addon "${specifier}" did not load: ${(error as Error).message.split('\n')[0]}`
    }
    loaded.set(specifier, found)
  }
  return found
}
