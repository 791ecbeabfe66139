import { createRunner } from '@palitra/core'
import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** Bad names, values and options get a clear code, and the runner goes on. */
export function badInputTests({
  describe,
  expect,
  test,
  testIf,
  open,
  caps,
  backend,
}: SuiteContext): void {
  describe('bad input', () => {
    test('unknown export and non-function export are ERR_PALITRA_NOT_FOUND, and the runner goes on', () => {
      using runner = open()
      const missing = caught(() => (runner.call as any)('noSuchTask'))
      expect(missing.code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(missing.message).toContain('noSuchTask')
      expect(missing.message).toContain('bump')
      expect(caught(() => (runner.call as any)('notAFunction')).code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(caught(() => (runner.call as any)('')).code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(caught(() => (runner.call as any)(42)).code).toBe('ERR_PALITRA_NOT_FOUND')
      // Names an object inherits are not exports.
      for (const inherited of ['toString', 'constructor', 'hasOwnProperty', '__proto__'])
        expect(caught(() => (runner.call as any)(inherited)).code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(runner.call('inc', 1)).toBe(2)
    })

    testIf(
      caps.serializes,
      'an argument that cannot cross is ERR_PALITRA_SERIALIZE naming where (skipped where values are not serialized)',
      () => {
        using runner = open()
        const error = caught(() => runner.call('echo', { nested: [1, () => 2] }))
        expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(error.message).toContain('args[0].nested[1]')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(
      caps.serializes,
      'a result that cannot cross is ERR_PALITRA_SERIALIZE naming where (skipped where values are not serialized)',
      () => {
        using runner = open()
        const error = caught(() => runner.call('returnsFunction'))
        expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(error.message).toContain('result.callback')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(
      !caps.serializes,
      'values that cannot be serialized pass through untouched in-process (skipped where values are serialized)',
      () => {
        using runner = open()
        const fn = () => 1
        expect(runner.call('echo', fn)).toBe(fn)
        expect(runner.call('returnsFunction').callback()).toBe(1)
      },
    )

    test('bad options are ERR_PALITRA_INVALID_ARGUMENT', () => {
      expect(caught(() => open({ timeout: -1 })).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(caught(() => open({ nope: 1 } as never)).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(caught(() => createRunner(42 as never, { backend: backend() })).code).toBe(
        'ERR_PALITRA_INVALID_ARGUMENT',
      )
      using runner = open()
      expect(caught(() => runner.callWith('inc', { timeout: Number.NaN }, 1)).code).toBe(
        'ERR_PALITRA_INVALID_ARGUMENT',
      )
    })
  })
}
