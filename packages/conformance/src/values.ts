import type { SuiteContext } from './context.js'

/** Values cross the boundary as they were sent. */
export function valueTests({ describe, expect, test, open }: SuiteContext): void {
  describe('values', () => {
    test('round-trips primitives, nested objects and structured-clone types', () => {
      using runner = open()
      const values: unknown[] = [
        0,
        -1.5,
        2 ** 40,
        'text with ünïcødé and emoji 🎨',
        '',
        true,
        null,
        undefined,
        10n ** 30n,
        [1, 'two', [3]],
        { a: { b: [1, { c: 'd' }] }, e: null },
        { missing: undefined },
        new Date(0),
        new Map([['k', 1]]),
        new Set([1, 2]),
        new Uint8Array([1, 2, 3]),
        Number.NaN,
        -0,
        'x'.repeat(200_000),
      ]
      for (const value of values) expect(runner.call('echo', value)).toEqual(value)
      expect(Object.is(runner.call('echo', -0), -0)).toBe(true)
      expect(runner.call('arrayOf', 3)).toEqual([0, 2, 4])
    })
  })
}
