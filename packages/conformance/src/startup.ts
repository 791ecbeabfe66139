import type { SuiteContext } from './context.js'
import { fixtures } from './fixtures.js'
import { caught } from './helpers.js'

/** A tasks module that cannot load is ERR_PALITRA_STARTUP with the real error as its cause. */
export function startupTests({ describe, expect, test, open }: SuiteContext): void {
  describe('start-up failures are ERR_PALITRA_STARTUP with the real error as cause', () => {
    const startupError = (file: string) => {
      const runner = open({}, new URL(file, fixtures))
      try {
        return caught(() => runner.call('inc', 1))
      } finally {
        runner.close()
      }
    }
    test('syntax error', () => {
      const error = startupError('bad-syntax.mjs')
      expect(error.code).toBe('ERR_PALITRA_STARTUP')
      expect(error.cause).toBeInstanceOf(SyntaxError)
    })
    test('throw at top level', () => {
      const error = startupError('throws-at-load.mjs')
      expect(error.code).toBe('ERR_PALITRA_STARTUP')
      expect(error.cause.message).toBe('exploded while loading')
    })
    test('missing file, and the runner can be retried', () => {
      const runner = open({}, new URL('does-not-exist.mjs', fixtures))
      expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_STARTUP')
      expect(runner.state).toBe('idle')
      expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_STARTUP')
      runner.close()
    })
  })
}
