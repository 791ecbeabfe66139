import { describe, expect, it } from 'vitest'
import { findUncloneable } from '../src/host/find-uncloneable.js'

describe('findUncloneable', () => {
  it('names the path of the first value structured clone refuses', () => {
    expect(findUncloneable([1, { a: [0, () => 1] }], 'args')).toBe('args[1].a[1] is a function')
    expect(findUncloneable({ p: Promise.resolve() }, 'result')).toContain('result.p is a Promise')
    expect(findUncloneable(new Map([['k', Symbol('s')]]), 'args')).toContain('is a symbol')
    expect(findUncloneable({ fine: [1, 2] }, 'args')).toBeUndefined()
    expect(findUncloneable([new Proxy({}, {})], 'args')).toBe('args[0] is a Proxy')
    const trap = {
      get x(): never {
        throw new Error('no')
      },
    }
    expect(findUncloneable({ trap }, 'args')).toBe('args.trap.x throws when read (no)')
    expect(findUncloneable({ e: new Error('x', { cause: Symbol('s') }) }, 'result')).toBe(
      'result.e.cause is a symbol',
    )
    const shared = { view: new Uint8Array(new SharedArrayBuffer(4)) }
    expect(findUncloneable(shared, 'args')).toBeUndefined()
    expect(findUncloneable(shared, 'args', { acrossProcesses: true })).toContain(
      'args.view is a view of a SharedArrayBuffer',
    )
  })
})
