import { threadState } from './thread-state.js'

type TickCallback = () => void

/**
 * Node's own "run pending `process.nextTick` callbacks, then microtasks" step. Callbacks that
 * libuv runs while this thread pumps the loop are nested in the caller's callback, and Node only
 * runs ticks and microtasks when the outermost callback returns: a wait must run them itself.
 */
export const tickCallback: TickCallback | undefined = (
  process as unknown as { _tickCallback?: TickCallback }
)._tickCallback

export function drainTicks(): void {
  tickCallback!()
}

const resolved = Promise.resolve()
let probeRan = false
const markProbe = () => {
  probeRan = true
}
const forgetOutside = () => {
  threadState.outsideMicrotask = false
}

/**
 * Whether promises can settle while this thread blocks here. Inside a microtask (a `.then`
 * callback, code after an `await`, ESM top-level code) V8 will not run microtasks again until the
 * current one returns, so a wait there could never end. Probe it: queue a microtask and drain;
 * if it did not run, we are inside one. The probe is skipped while a previous wait's verdict
 * still holds (see `rememberOutsideMicrotask`), which keeps a tight loop of calls cheap.
 */
export function canBlockHere(): boolean {
  if (threadState.outsideMicrotask) return true
  probeRan = false
  resolved.then(markProbe)
  drainTicks()
  return probeRan
}

/**
 * Call only right after `drainTicks()` returned outside a microtask: the queue is empty then, so
 * every microtask that runs from now on runs after the one queued here, which clears the flag.
 * Until it runs, no microtask has run, and this thread is still outside one.
 */
export function rememberOutsideMicrotask(): void {
  if (threadState.outsideMicrotask) return
  threadState.outsideMicrotask = true
  resolved.then(forgetOutside)
}
