import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** Async iterables a task returns become sync iterators. */
export function iteratorTests({ describe, expect, test, open }: SuiteContext): void {
  describe('iterators', () => {
    test('iterate() and call() on an async generator give sync iterators', () => {
      using runner = open()
      expect([...runner.iterate('range', 4)]).toEqual([0, 1, 2, 3])
      expect([...runner.call('range', 3)]).toEqual([0, 1, 2])
      expect([...runner.iterate('arrayOf', 3)]).toEqual([0, 2, 4])
    })

    test("an early break calls the task iterator's return()", () => {
      using runner = open()
      for (const value of runner.iterate('range', 100)) {
        if (value === 2) break
      }
      expect(runner.call('wasRangeClosed')).toBe(true)
    })

    test('iterating what is not iterable is a clear error', () => {
      using runner = open()
      expect(caught(() => runner.iterate('inc', 1)).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    })
  })
}
