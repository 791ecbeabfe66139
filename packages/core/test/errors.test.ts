import { describe, expect, it } from 'vitest'
import { errorCodes, isPalitraError, PalitraError } from '../src/errors.js'
import { decodeThrown, encodeThrown } from '../src/wire/error-codec.js'

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
