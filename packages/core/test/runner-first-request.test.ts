import { describe, expect, it } from 'vitest'
import type { Backend, HostRequest, ServedRequest, Session } from '../src/contract.js'
import { PalitraError } from '../src/errors.js'
import { createTaskHost } from '../src/host/task-host.js'
import { createRunner } from '../src/index.js'
import { CallScope } from '../src/scope.js'
import { caught } from './caught.js'
import { inProcessCapabilities } from './in-process-capabilities.js'

interface Record {
  readonly requests: HostRequest[]
  readonly firsts: ServedRequest[]
  closed: boolean
  alive: boolean
}

/**
 * A backend whose sessions offer loadThen: what the runner does with a first request (send it
 * with the load, keep or drop the session by its outcome), apart from any channel.
 */
function pipeliningBackend(serve: (request: ServedRequest, record: Record) => unknown) {
  const sessions: Record[] = []
  const backend: Backend = {
    name: 'fake-pipelining',
    capabilities: inProcessCapabilities,
    unavailableReason: () => undefined,
    createSession(): Session {
      const record: Record = { requests: [], firsts: [], closed: false, alive: true }
      sessions.push(record)
      return {
        request(request) {
          record.requests.push(request)
          return request.op === 'load' || request.op === 'teardown'
            ? undefined
            : serve(request, record)
        },
        loadThen(request) {
          record.firsts.push(request)
          return serve(request, record)
        },
        alive: () => record.alive,
        close() {
          record.closed = true
          record.alive = false
        },
      }
    },
  }
  return { backend, sessions }
}

const call = (name: string, ...args: unknown[]): ServedRequest => ({ op: 'call', name, args })

describe("a runner's first request, on a session that loads and serves it at once", () => {
  it('goes with the load (loadThen) once; later calls are plain requests', () => {
    const { backend, sessions } = pipeliningBackend((request) =>
      request.op === 'call' ? request.args[0] : undefined,
    )
    using runner = createRunner('./tasks.mjs', { backend })
    expect(runner.call('echo', 1)).toBe(1)
    expect(runner.state).toBe('ready')
    expect(runner.call('echo', 2)).toBe(2)
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.firsts).toEqual([call('echo', 1)])
    expect(sessions[0]!.requests).toEqual([call('echo', 2)])
  })

  it('a batch goes with the load too, and its answer is read as a batch', () => {
    const { backend, sessions } = pipeliningBackend(() => ({ values: [2, 3] }))
    using runner = createRunner('./tasks.mjs', { backend })
    expect(runner.map('inc', [1, 2])).toEqual([2, 3])
    expect(sessions[0]!.firsts[0]!.op).toBe('batch')
  })

  it('start() loads alone: there is no request to send with it', () => {
    const { backend, sessions } = pipeliningBackend(() => 'value')
    using runner = createRunner('./tasks.mjs', { backend })
    runner.start()
    expect(sessions[0]!.requests).toEqual([{ op: 'load' }])
    expect(sessions[0]!.firsts).toEqual([])
  })

  it('a failure that leaves the session alive is the task’s own: the host stays, the runner is ready', () => {
    const { backend, sessions } = pipeliningBackend((request) => {
      if (request.op === 'call' && request.name === 'fail') throw new Error('task failed')
      return 'ok'
    })
    using runner = createRunner('./tasks.mjs', { backend })
    expect(caught(() => runner.call('fail')).message).toBe('task failed')
    expect(runner.state).toBe('ready')
    expect(runner.call('next')).toBe('ok')
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.closed).toBe(false)
  })

  it('a failure that ends the session (a failed load) closes it, and the next call starts anew', () => {
    let loads = 0
    const { backend, sessions } = pipeliningBackend((_, record) => {
      if (++loads === 1) {
        record.alive = false
        throw new PalitraError('ERR_PALITRA_STARTUP', 'could not load')
      }
      return 'loaded at last'
    })
    using runner = createRunner('./tasks.mjs', { backend })
    expect(caught(() => runner.call('x')).code).toBe('ERR_PALITRA_STARTUP')
    expect(runner.state).toBe('idle')
    expect(sessions[0]!.closed).toBe(true)
    expect(runner.call('x')).toBe('loaded at last')
    expect(sessions).toHaveLength(2)
    expect(sessions[1]!.firsts).toEqual([call('x')])
  })
})

describe('a task host asked to load and serve in one request', () => {
  it('refuses it rather than answer the load alone: only serveHost splits such a load', async () => {
    const host = createTaskHost('file:///app/tasks.mjs', {
      load: () => Promise.resolve({ inc: async (n: number) => n + 1 }),
    })
    const request: HostRequest = { op: 'load', serve: call('inc', 1) }
    const error: any = await host.handle(request, new CallScope()).catch((thrown) => thrown)
    expect(error.code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
  })
})
