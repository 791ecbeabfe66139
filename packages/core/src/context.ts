/**
 * True when running inside a microtask (a `.then` callback, after an `await`, ESM top-level
 * evaluation). V8 will not run microtasks again until the current one returns, so a backend that
 * blocks this very thread (deasync) would wait forever for a promise there.
 */
export function insideMicrotask(): boolean {
  let ran = false
  queueMicrotask(() => {
    ran = true
  })
  // Runs pending ticks and microtasks now, unless V8 is already running them.
  ;(process as unknown as { _tickCallback(): void })._tickCallback()
  return !ran
}
