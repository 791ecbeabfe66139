import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** A task's error comes back as itself. */
export function errorTests({ describe, expect, test, open }: SuiteContext): void {
  describe('errors', () => {
    test('rethrows task errors as themselves: class, message, code, own props, cause, remote stack', () => {
      using runner = open()
      const error = caught(() => runner.call('throwError', 'type'))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toBe('bad input')
      expect(error.code).toBe('E_BAD_INPUT')
      expect(error.detail).toEqual({ field: 'name' })
      expect(error.cause).toBeInstanceOf(RangeError)
      expect(error.cause.message).toBe('root cause')
      expect(error.stack).toContain('throwError')
      expect(error.name).toBe('TypeError')
    })

    test('keeps AggregateError.errors, DOMException names, subclass names and non-error throws', () => {
      using runner = open()
      const aggregate = caught(() => runner.call('throwError', 'aggregate'))
      expect(aggregate).toBeInstanceOf(AggregateError)
      expect(aggregate.errors.map((e: Error) => e.message)).toEqual(['first', 'second'])
      expect(aggregate.errors[1]).toBeInstanceOf(TypeError)
      const dom = caught(() => runner.call('throwError', 'dom'))
      expect(dom).toBeInstanceOf(DOMException)
      expect(dom.name).toBe('AbortError')
      const custom = caught(() => runner.call('throwError', 'custom'))
      expect(custom).toBeInstanceOf(Error)
      expect(custom.name).toBe('ValidationError')
      expect(custom.message).toBe('custom class')
      expect(caught(() => runner.call('throwError', 'string'))).toBe('a plain string')
      expect(runner.call('inc', 1)).toBe(2)
    })
  })
}
