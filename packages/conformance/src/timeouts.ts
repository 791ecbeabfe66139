import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** Every wait ends: deadlines, aborted signals, runaway tasks, promises nothing can settle. */
export function timeoutTests({ describe, expect, test, testIf, open, caps }: SuiteContext): void {
  describe('timeouts', () => {
    test('a slow task past its timeout is ERR_PALITRA_TIMEOUT; its AbortSignal aborts; state survives', () => {
      using runner = open({ timeout: 10_000 })
      const start = runner.call('bump')
      const error = caught(() => runner.callWith('sleep', { timeout: 50 }, 30_000))
      expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
      expect(error.timeout).toBe(50)
      expect(caught(() => runner.callWith('recordAbortAfter', { timeout: 50 }, 30_000)).code).toBe(
        'ERR_PALITRA_TIMEOUT',
      )
      expect(runner.call('lastSignalWasAborted')).toBe(true)
      expect(runner.call('bump')).toBe(start + 1)
    })

    test('a runner-wide timeout applies to every call', () => {
      using runner = open({ timeout: 50 })
      expect(caught(() => runner.call('sleep', 30_000)).code).toBe('ERR_PALITRA_TIMEOUT')
      expect(runner.call('inc', 1)).toBe(2)
    })

    testIf(
      caps.restartsAfterCrash,
      'a runaway task is stopped by replacing its host (skipped where the host is the caller)',
      () => {
        using runner = open({ abortGrace: 50 })
        const error = caught(() => runner.callWith('runaway', { timeout: 100 }))
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(error.replaced).toBe(true)
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(
      !caps.inProcess && !caps.parallel,
      'a call whose promise can never settle is ERR_PALITRA_DEADLOCK at once (skipped in-process: the caller keeps the loop alive; skipped for pools: the pool keeps each host loop alive)',
      () => {
        using runner = open({ timeout: 30_000 })
        expect(caught(() => runner.call('never')).code).toBe('ERR_PALITRA_DEADLOCK')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(
      caps.inProcess || caps.parallel,
      'a call whose promise can never settle ends at its timeout (skipped for a single out-of-process host: it is a deadlock there)',
      () => {
        using runner = open({ timeout: 200 })
        expect(caught(() => runner.call('never')).code).toBe('ERR_PALITRA_TIMEOUT')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )
  })
}
