type TickCallback = () => void

/**
 * Node's "run pending ticks, then microtasks" step, which the probe below needs. Deno has none;
 * Bun has a `process._tickCallback` that does not run microtasks, so there the probe would always
 * answer "inside".
 */
const tickCallback: TickCallback | undefined = process.versions.bun
  ? undefined
  : (process as unknown as { _tickCallback?: TickCallback })._tickCallback

/**
 * True when running inside a microtask (a `.then` callback, after an `await`, ESM top-level
 * evaluation). V8 will not run microtasks again until the current one returns, so a backend that
 * blocks this very thread (deasync) would wait forever for a promise there. `undefined` when this
 * runtime cannot tell.
 */
export function insideMicrotask(): boolean | undefined {
  if (typeof tickCallback !== 'function') return undefined
  let ran = false
  queueMicrotask(() => {
    ran = true
  })
  // Runs pending ticks and microtasks now, unless V8 is already running them.
  tickCallback.call(process)
  return !ran
}
