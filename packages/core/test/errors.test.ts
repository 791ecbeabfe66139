import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { errorCodes, isPalitraError, PalitraError } from '../src/errors.js'
import { decodeThrown, encodeThrown } from '../src/host/error-codec.js'

const roundTrip = (error: unknown) => decodeThrown(structuredClone(encodeThrown(error))) as any

describe('PalitraError', () => {
  it('carries a stable code, a prefixed message, a cause and facts', () => {
    const cause = new Error('root')
    const error = new PalitraError('ERR_PALITRA_CRASHED', 'it died', {
      backend: 'worker',
      cause,
      exitCode: 3,
    })
    expect(error.code).toBe('ERR_PALITRA_CRASHED')
    expect(error.name).toBe('PalitraError')
    expect(error.message).toBe('[palitra] [worker] it died')
    expect(error.cause).toBe(cause)
    expect((error as any).exitCode).toBe(3)
    expect(isPalitraError(error, 'ERR_PALITRA_CRASHED')).toBe(true)
    expect(isPalitraError(error, 'ERR_PALITRA_TIMEOUT')).toBe(false)
    expect(isPalitraError(new Error('x'))).toBe(false)
    expect(errorCodes).toContain('ERR_PALITRA_DEADLOCK')
  })
})

describe('error codec', () => {
  it('keeps built-in classes, message, stack, code, own props and the cause chain', () => {
    const error = Object.assign(
      new TypeError('outer', { cause: new RangeError('inner', { cause: 'text' }) }),
      {
        code: 'E_X',
        meta: { n: 1 },
      },
    )
    const back = roundTrip(error)
    expect(back).toBeInstanceOf(TypeError)
    expect(back.message).toBe('outer')
    expect(back.stack).toBe(error.stack)
    expect(back.code).toBe('E_X')
    expect(back.meta).toEqual({ n: 1 })
    expect(back.cause).toBeInstanceOf(RangeError)
    expect(back.cause.cause).toBe('text')
  })

  it('keeps AggregateError.errors, DOMException names, subclass names and PalitraErrors', () => {
    const aggregate = roundTrip(new AggregateError([new SyntaxError('a')], 'all'))
    expect(aggregate).toBeInstanceOf(AggregateError)
    expect(aggregate.errors[0]).toBeInstanceOf(SyntaxError)
    const dom = roundTrip(new DOMException('gone', 'AbortError'))
    expect(dom).toBeInstanceOf(DOMException)
    expect(dom.name).toBe('AbortError')
    class HttpError extends RangeError {
      override name = 'HttpError'
    }
    const custom = roundTrip(new HttpError('404'))
    expect(custom).toBeInstanceOf(RangeError)
    expect(custom.name).toBe('HttpError')
    const palitra = roundTrip(new PalitraError('ERR_PALITRA_NOT_FOUND', 'nope'))
    expect(palitra).toBeInstanceOf(PalitraError)
    expect(palitra.code).toBe('ERR_PALITRA_NOT_FOUND')
    expect(palitra.message).toBe('[palitra] nope')
  })

  it('keeps which own properties are enumerable, in their order, hidden ones included', () => {
    const error = new Error('Build failed')
    Object.assign(error, { name: 'BuildError', errors: [{ text: 'x' }], cause: 'why', loc: 3 })
    Object.defineProperty(error, 'secret', { value: 's', writable: true, configurable: true })
    const back = roundTrip(error)
    expect(Object.keys(back)).toEqual(['name', 'errors', 'cause', 'loc'])
    expect(Object.getOwnPropertyNames(back)).toEqual(Object.getOwnPropertyNames(error))
    expect(Object.getOwnPropertyDescriptor(back, 'secret')).toMatchObject({
      value: 's',
      enumerable: false,
    })
    expect({ ...back }).toEqual({ ...error })
    const plain = roundTrip(new Error())
    expect(Object.hasOwn(plain, 'message')).toBe(false)
    const aggregate = roundTrip(new AggregateError([1], 'm'))
    expect(Object.getOwnPropertyDescriptor(aggregate, 'errors')?.enumerable).toBe(false)
    const odd = roundTrip(Object.assign(new Error('odd'), { errors: 'not a list' }))
    expect(odd.errors).toBe('not a list')
  })

  it('brings a cause cycle back as a cycle, and an error met twice as one error', () => {
    const looped = new Error('loop')
    looped.cause = looped
    const back = roundTrip(looped)
    expect(back.cause).toBe(back)
    const inner = new TypeError('twice')
    const aggregate = roundTrip(new AggregateError([inner, inner], 'both', { cause: inner }))
    expect(aggregate.errors[0]).toBe(aggregate.errors[1])
    expect(aggregate.cause).toBe(aggregate.errors[0])
    expect(aggregate.cause).toBeInstanceOf(TypeError)
  })

  it('appends the caller frames under the remote ones and passes non-errors through', () => {
    const back = decodeThrown(
      encodeThrown(new Error('remote')),
      'Error\n    at localFrame (here.js:1:1)',
    ) as Error
    expect(back.stack).toMatch(/remote[\s\S]*<palitra: sync call>[\s\S]*localFrame/)
    expect(decodeThrown(encodeThrown(42))).toBe(42)
  })
})

describe('error codec, generated errors', () => {
  class HttpError extends RangeError {}
  const classes = [Error, TypeError, RangeError, SyntaxError, URIError, AggregateError, HttpError]
  type Built = { error: Error; classIndex: number }
  const propKey = fc.oneof(
    fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/),
    fc.constantFrom('name', 'errors', 'cause', 'code'),
  )
  const spec = fc.letrec<{ error: unknown }>((tie) => ({
    error: fc.record({
      classIndex: fc.nat(classes.length - 1),
      message: fc.string({ unit: 'binary' }),
      cause: fc.option(fc.oneof(fc.jsonValue(), tie('error')), { nil: undefined }),
      props: fc.array(fc.tuple(propKey, fc.jsonValue(), fc.boolean()), { maxLength: 4 }),
      loop: fc.boolean(),
    }),
  })).error

  const build = (description: any): Built => {
    const ErrorClass = classes[description.classIndex]!
    const options = description.cause === undefined ? undefined : { cause: make(description.cause) }
    const error =
      ErrorClass === AggregateError
        ? new AggregateError([1, 'two'], description.message, options)
        : new (ErrorClass as ErrorConstructor)(description.message, options)
    for (const [key, value, enumerable] of description.props) {
      // A `name` is a string; JSON text of any generated value is one (String() can throw: an
      // object whose own `toString` is not a function).
      const carried = key === 'name' ? JSON.stringify(value) : value
      Object.defineProperty(error, key, {
        value: carried,
        enumerable,
        writable: true,
        configurable: true,
      })
    }
    if (description.loop)
      Object.defineProperty(error, 'self', {
        value: error,
        enumerable: true,
        configurable: true,
        writable: true,
      })
    return { error, classIndex: description.classIndex }
  }
  const make = (description: any): unknown =>
    description && typeof description === 'object' && 'classIndex' in description
      ? build(description).error
      : description

  /** Where `back` differs from `original` in class, own keys, their order, enumerability or values. */
  const shapeMismatch = (
    original: any,
    back: any,
    seen = new Map<object, object>(),
  ): string | undefined => {
    if (!(original instanceof Error))
      return isDeepStrictEqual(original, back) ? undefined : `value ${JSON.stringify(back)}`
    if (seen.has(original)) return seen.get(original) === back ? undefined : 'a cycle became a copy'
    seen.set(original, back)
    const base =
      Object.getPrototypeOf(original) === HttpError.prototype ? RangeError : original.constructor
    if (!(back instanceof base)) return `class ${back?.constructor?.name} instead of ${base.name}`
    const keys = Object.getOwnPropertyNames(original)
    if (!isDeepStrictEqual(Object.getOwnPropertyNames(back), keys))
      return `keys ${Object.getOwnPropertyNames(back)} instead of ${keys}`
    for (const key of keys) {
      const a = Object.getOwnPropertyDescriptor(original, key)!
      const b = Object.getOwnPropertyDescriptor(back, key)!
      if (a.enumerable !== b.enumerable) return `${key}: enumerable ${b.enumerable}`
      if (key === 'stack') continue
      const inner = shapeMismatch(a.value, b.value, seen)
      if (inner) return `${key}: ${inner}`
    }
    return undefined
  }

  it('rethrows each as the original: class, own keys in order, enumerability, values, cycles', () => {
    fc.assert(
      fc.property(spec, (description) => {
        const { error } = build(description)
        expect(shapeMismatch(error, roundTrip(error))).toBeUndefined()
      }),
      { numRuns: 500 },
    )
  })
})
