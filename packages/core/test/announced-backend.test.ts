// A file of its own: announcements are per thread, and vitest gives each test file a fresh one.
import { describe, expect, it } from 'vitest'
import { announceBackend } from '../src/backend.js'
import type { Backend, BackendName } from '../src/index.js'
import { createRunner } from '../src/index.js'

function fakeBackend(name: BackendName, tag: string): Backend {
  return {
    name,
    capabilities: { tag } as never,
    options: {},
    unavailableReason: () => undefined,
    createSession: () => {
      throw new Error('no session is started in these tests')
    },
  }
}

describe('a backend package announced as it is imported', () => {
  it('is what asking for it by name gives, made once for every runner', () => {
    let made = 0
    const announced = fakeBackend('subprocess', 'announced')
    announceBackend('subprocess', () => {
      made++
      return announced
    })
    const first = createRunner('./t.mjs', { backend: 'subprocess' })
    const second = createRunner('./t.mjs', { backend: 'subprocess' })
    // Core's own tree has no backend packages installed: only the announcement can give this.
    expect(first.backend.capabilities).toBe(announced.capabilities)
    expect(second.backend.capabilities).toBe(announced.capabilities)
    expect(made).toBe(1)
    first.close()
    second.close()
  })

  it('keeps the first announcement of a name, as the first require would', () => {
    const first = fakeBackend('deasync', 'first')
    announceBackend('deasync', () => first)
    announceBackend('deasync', () => fakeBackend('deasync', 'second'))
    const runner = createRunner('./t.mjs', { backend: 'deasync' })
    expect(runner.backend.capabilities).toBe(first.capabilities)
    runner.close()
  })
})
