import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { defaultPoolOptions, resolvePoolOptions } from '../src/options.js'

const code = (pool: unknown) => {
  try {
    resolvePoolOptions('worker', pool)
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'no error'
}

describe('pool options', () => {
  it('fills the defaults from one object', () => {
    expect(resolvePoolOptions('worker', {})).toEqual({
      size: availableParallelism(),
      minSize: availableParallelism(),
      idleTimeout: defaultPoolOptions.idleTimeout,
      maxHeapBeforeRecycle: undefined,
    })
    expect(resolvePoolOptions('worker', { size: 3, minSize: 1, idleTimeout: 500 })).toEqual({
      size: 3,
      minSize: 1,
      idleTimeout: 500,
      maxHeapBeforeRecycle: undefined,
    })
  })

  it('refuses what is not a pool with ERR_PALITRA_INVALID_ARGUMENT, naming the field', () => {
    for (const bad of [null, 3, 'big', [], { size: 0 }, { size: 1.5 }, { size: Infinity }]) {
      expect(code(bad), JSON.stringify(bad)).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    }
    for (const bad of [{ minSize: -1 }, { size: 2, minSize: 3 }, { idleTimeout: 1.5 }]) {
      expect(code(bad), JSON.stringify(bad)).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    }
    expect(() => resolvePoolOptions('subprocess', { size: 0 })).toThrow(
      '[palitra] [subprocess] pool.size must be a whole number >= 1, got number 0',
    )
    expect(() => resolvePoolOptions('worker', { maxQueue: 4 })).toThrow(
      'unknown pool option "maxQueue"',
    )
  })
})
