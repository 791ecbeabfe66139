import type { SuiteContext } from './context.js'
import { fixtures } from './fixtures.js'
import { caught } from './helpers.js'

/**
 * A tasks module that cannot load is ERR_PALITRA_STARTUP with the real error as its cause; a
 * runner's first request, which may travel with the load, is served and fails as any other.
 */
export function startupTests({ describe, expect, test, testIf, open, caps }: SuiteContext): void {
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

  describe("a runner's first request", () => {
    // A query of its own per test: an in-process backend would otherwise find it loaded already.
    const slowLoad = (test: string) => new URL(`slow-load.mjs?${test}`, fixtures)

    test('may be any request: a call, an iterator, a batch, a map', () => {
      using first = open()
      expect(first.call('echo', { list: [1, 'two'] })).toEqual({ list: [1, 'two'] })
      using iterating = open()
      expect([...iterating.iterate('range', 3)]).toEqual([0, 1, 2])
      using batching = open()
      expect(
        batching.all([
          ['inc', 1],
          ['echo', 'b'],
        ]),
      ).toEqual([2, 'b'])
      using mapping = open()
      expect(mapping.map('inc', [1, 2, 3])).toEqual([2, 3, 4])
    })

    test('has its own timeout from the load on: a slow load still serves a quick first call', () => {
      using runner = open({}, slowLoad('quick-first-call'))
      expect(runner.callWith('inc', { timeout: 100 }, 1)).toBe(2)
    })

    test('without a timeout, may run past startupTimeout once the module is loaded', () => {
      using runner = open({ startupTimeout: 2_000 })
      expect(runner.call('sleep', 3_000)).toBe(3_000)
    })

    test('past its own timeout is ERR_PALITRA_TIMEOUT, not a start-up failure', () => {
      using runner = open({ startupTimeout: 50_000 })
      const error = caught(() => runner.callWith('sleep', { timeout: 100 }, 40_000))
      expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
      expect(runner.call('inc', 1)).toBe(2)
    })

    test('of a module slower to load than startupTimeout is ERR_PALITRA_STARTUP', () => {
      using runner = open({ startupTimeout: 50 }, slowLoad('slow-load'))
      expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_STARTUP')
      expect(runner.state).toBe('idle')
    })

    test("that fails with the task's own error leaves the host loaded and the runner ready", () => {
      using runner = open()
      expect(caught(() => runner.call('throwError', 'type')).code).toBe('E_BAD_INPUT')
      expect(runner.state).toBe('ready')
      expect(runner.call('inc', 1)).toBe(2)
    })

    testIf(
      caps.restartsAfterCrash,
      'that kills its host is ERR_PALITRA_CRASHED, not a start-up failure (skipped where the host is the caller)',
      () => {
        using runner = open()
        expect(caught(() => runner.call('exitWith', 3)).code).toBe('ERR_PALITRA_CRASHED')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(
      caps.serializes,
      'whose arguments cannot be sent is ERR_PALITRA_SERIALIZE, and the runner goes on (skipped where nothing is serialized)',
      () => {
        using runner = open()
        expect(caught(() => runner.call('echo', () => 1)).code).toBe('ERR_PALITRA_SERIALIZE')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )
  })
}
