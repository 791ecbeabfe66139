import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTaskHost } from '../src/host/task-host.js'
import { CallScope } from '../src/scope.js'

/** Make this process look like another runtime for a fresh copy of the module under test. */
function pretend(change: () => () => void): void {
  restores.push(change())
  vi.resetModules()
}
const restores: (() => void)[] = []
afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore()
  vi.resetModules()
})

function withoutTickCallback(): () => void {
  const own = process as unknown as { _tickCallback?: unknown }
  const saved = own._tickCallback
  own._tickCallback = undefined
  return () => {
    own._tickCallback = saved
  }
}

function asBun(): () => void {
  Object.defineProperty(process.versions, 'bun', { value: '1.4.5', configurable: true })
  return () => {
    delete (process.versions as { bun?: string }).bun
  }
}

describe('the microtask probe on runtimes without Node internals', () => {
  it('answers "cannot tell" where process._tickCallback is missing (Deno), instead of throwing', async () => {
    pretend(withoutTickCallback)
    const { insideMicrotask } = await import('../src/context.js')
    expect(insideMicrotask()).toBe(undefined)
  })

  it('answers "cannot tell" on Bun, whose _tickCallback runs no microtasks (it would say "inside")', async () => {
    pretend(asBun)
    const { insideMicrotask } = await import('../src/context.js')
    expect(insideMicrotask()).toBe(undefined)
  })

  it('on Node, tells a macrotask from a microtask', async () => {
    const { insideMicrotask } = await import('../src/context.js')
    const inMacrotask = await new Promise((resolve) =>
      setImmediate(() => resolve(insideMicrotask())),
    )
    expect(inMacrotask).toBe(false)
    await Promise.resolve()
    expect(insideMicrotask()).toBe(true)
  })
})

describe('start-up errors from other runtimes', () => {
  it("a Bun BuildMessage (its syntax error) becomes the SyntaxError's cause every runtime gives", async () => {
    // What Bun's import() rejects with for a module that does not parse.
    class BuildMessage extends Error {
      override name = 'BuildMessage'
      position = { file: '/app/tasks.mjs', line: 1, column: 32 }
    }
    const host = createTaskHost('file:///app/tasks.mjs', {
      load: () => Promise.reject(new BuildMessage('Expected identifier but found end of file')),
    })
    const error: any = await host.handle({ op: 'load' }, new CallScope()).catch((thrown) => thrown)
    expect(error.code).toBe('ERR_PALITRA_STARTUP')
    expect(error.cause).toBeInstanceOf(SyntaxError)
    expect(error.cause.message).toBe(
      'Expected identifier but found end of file (/app/tasks.mjs:1:32)',
    )
  })
})
