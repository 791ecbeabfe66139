import { describe, expect, it } from 'vitest'
import type { Backend, HostRequest, Session } from '../src/contract.js'
import { PalitraError } from '../src/errors.js'
import { createRunner } from '../src/index.js'
import { caught } from './caught.js'
import { inProcessCapabilities } from './in-process-capabilities.js'

/**
 * A backend with no thread: tasks are plain sync functions. It isolates what the runner itself
 * owns (state machine, re-entrancy, host replacement, iterators) from any real backend.
 */
function fakeBackend(tasks: Record<string, (...args: any[]) => unknown>) {
  const sessions: { closed: boolean; alive: boolean }[] = []
  const backend: Backend = {
    name: 'fake',
    capabilities: inProcessCapabilities,
    unavailableReason: () => undefined,
    createSession(): Session {
      const record = { closed: false, alive: true }
      sessions.push(record)
      const iterators = new Map<number, Iterator<unknown>>()
      return {
        request(request: HostRequest) {
          switch (request.op) {
            case 'load':
              return undefined
            case 'call': {
              const result = tasks[request.name]!(...request.args, record)
              if (!request.iterate) return result
              iterators.set(iterators.size + 1, (result as Iterable<unknown>)[Symbol.iterator]())
              return { __palitraIterator: iterators.size }
            }
            case 'next':
              return iterators.get(request.iterator)!.next()
            default:
              return undefined
          }
        },
        alive: () => record.alive,
        close() {
          record.closed = true
        },
      }
    },
  }
  return { backend, sessions }
}

describe('runner', () => {
  it('refuses a call from inside a call on the same runner with ERR_PALITRA_DEADLOCK', () => {
    let runner: any
    const { backend } = fakeBackend({
      outer: () => runner.call('inner'),
      inner: () => 'inner result',
    })
    runner = createRunner('./tasks.mjs', { backend })
    const error = caught(() => runner.call('outer'))
    expect(error.code).toBe('ERR_PALITRA_DEADLOCK')
    expect(runner.call('inner')).toBe('inner result')
  })

  it('drops a dead host, goes back to idle and starts a fresh one on the next call', () => {
    const { backend, sessions } = fakeBackend({
      die: (record: { alive: boolean }) => {
        record.alive = false
        throw new PalitraError('ERR_PALITRA_CRASHED', 'gone')
      },
      ok: () => 'ok',
    })
    const runner = createRunner('./tasks.mjs', { backend })
    expect(caught(() => runner.call('die')).code).toBe('ERR_PALITRA_CRASHED')
    expect(runner.state).toBe('idle')
    expect(sessions[0]!.closed).toBe(true)
    expect(runner.call('ok')).toBe('ok')
    expect(sessions).toHaveLength(2)
    runner.close()
    expect(sessions[1]!.closed).toBe(true)
  })

  it('ends iterators of a replaced host with ERR_PALITRA_CRASHED instead of asking the new one', () => {
    const { backend } = fakeBackend({
      items: () => [1, 2, 3],
      die: (record: { alive: boolean }) => {
        record.alive = false
        throw new PalitraError('ERR_PALITRA_CRASHED', 'gone')
      },
    })
    const runner = createRunner('./tasks.mjs', { backend })
    const iterator = runner.iterate('items')
    expect(iterator.next()).toEqual({ done: false, value: 1 })
    caught(() => runner.call('die'))
    runner.start()
    expect(caught(() => iterator.next()).code).toBe('ERR_PALITRA_CRASHED')
    expect(iterator.next()).toEqual({ done: true, value: undefined })
    runner.close()
  })

  it("keeps the tasks proxy from looking like a promise and from calling 'then'", async () => {
    const { backend } = fakeBackend(Object.fromEntries([['then', () => 'called then']]))
    const runner = createRunner('./tasks.mjs', { backend })
    expect(runner.tasks.then).toBeUndefined()
    expect(await Promise.resolve(runner.tasks)).toBe(runner.tasks)
    runner.close()
  })

  it('run() without closures support is ERR_PALITRA_UNAVAILABLE naming deasync', () => {
    const { backend } = fakeBackend({})
    const runner = createRunner('./tasks.mjs', { backend })
    const error = caught(() => runner.run(async () => 1))
    expect(error.code).toBe('ERR_PALITRA_UNAVAILABLE')
    expect(error.message).toContain('deasync')
    runner.close()
  })
})
