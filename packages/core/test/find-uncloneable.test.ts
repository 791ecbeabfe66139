import { describe, expect, it } from 'vitest'
import { findUncloneable } from '../src/host/find-uncloneable.js'

describe('findUncloneable', () => {
  it('names the path of the first value structured clone refuses', () => {
    expect(findUncloneable([1, { a: [0, () => 1] }], 'args')).toBe('args[1].a[1] is a function')
    expect(findUncloneable({ p: Promise.resolve() }, 'result')).toContain('result.p is a Promise')
    expect(findUncloneable(new Map([['k', Symbol('s')]]), 'args')).toContain('is a symbol')
    expect(findUncloneable({ fine: [1, 2] }, 'args')).toBeUndefined()
  })
})
