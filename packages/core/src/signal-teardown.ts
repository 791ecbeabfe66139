/**
 * SIGINT, SIGTERM and SIGHUP end a Node process without its 'exit' event, so without this no
 * runner's `teardown` would run (open connections left, files unflushed). The rule is
 * signal-exit's: act only when nobody else listens for the signal (an application's own listener
 * keeps full control), run the teardown, then re-raise the signal with our listener gone so the
 * process still ends by it (exit status 128 + signal, as a shell or supervisor expects).
 *
 * Written here rather than taken from the `signal-exit` package: core has no runtime dependencies
 * (a library depending on it pulls in nothing), and this is the part of it palitra needs.
 *
 * The cost of any JavaScript signal listener applies: the signal is handled when this thread's
 * event loop runs, so one that arrives while the caller is blocked in a call ends the process when
 * that call returns (at the latest at its timeout).
 */

const fatalSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** Run `teardown` on a fatal signal nobody else handles, then die by that signal. */
export function teardownOnFatalSignals(teardown: () => void): void {
  for (const signal of fatalSignals) {
    const listener = () => {
      if (process.listenerCount(signal) > 1) return
      try {
        teardown()
      } finally {
        process.removeListener(signal, listener)
        process.kill(process.pid, signal)
      }
    }
    try {
      process.on(signal, listener)
    } catch {
      // A runtime without this signal (Windows has no SIGHUP listener in some versions).
    }
  }
}
