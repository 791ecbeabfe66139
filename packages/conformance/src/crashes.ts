import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** A host that dies is reported and replaced. */
export function crashTests({ describe, expect, testIf, open, caps }: SuiteContext): void {
  describe('crashes', () => {
    testIf(
      caps.restartsAfterCrash,
      'a host that exits is ERR_PALITRA_CRASHED; the next call starts a fresh one (skipped where the host is the caller)',
      () => {
        using runner = open()
        expect(runner.call('bump')).toBe(1)
        const error = caught(() => runner.call('exitWith', 3))
        expect(error.code).toBe('ERR_PALITRA_CRASHED')
        expect(error.exitCode).toBe(3)
        // A single host is gone with its session; a pool replaced the host and lives on.
        expect(runner.state).toBe(caps.parallel ? 'ready' : 'idle')
        expect(runner.call('bump')).toBe(1)
      },
    )
  })
}
