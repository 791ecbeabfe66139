import { describe, expect, it } from 'vitest'
import type { BatchAnswer, HostRequest, Session } from '../src/contract.js'
import { PalitraError } from '../src/errors.js'
import { createRunner } from '../src/index.js'
import { caught } from './caught.js'
import { inProcessCapabilities } from './in-process-capabilities.js'

/** A backend whose host answers every batch with `answer`, and records what it was sent. */
function recordingRunner(answer: (request: Extract<HostRequest, { op: 'batch' }>) => unknown) {
  const sent: { request: HostRequest; timeout: number }[] = []
  const session: Session = {
    request(request, timeout) {
      if (request.op !== 'batch') return undefined
      sent.push({ request, timeout })
      return answer(request)
    },
    alive: () => true,
    close() {},
  }
  const runner = createRunner('/tasks.mjs', {
    timeout: 5_000,
    abortGrace: 75,
    backend: {
      name: 'recording',
      capabilities: { ...inProcessCapabilities, restartsAfterCrash: false },
      unavailableReason: () => undefined,
      createSession: () => session,
    },
  })
  return { runner, sent }
}

describe('the batch request a runner sends its session', () => {
  it('is one request: calls as [name, ...args], the batch deadline, abortGrace, any real bound', () => {
    const { runner, sent } = recordingRunner((request) => ({
      values: request.calls.map((call) => call.length),
    }))
    expect(runner.all([['a', 1, 2], ['b']], { timeout: 100 })).toEqual([3, 1])
    expect(runner.map('c', new Set([7, 8]), { concurrency: 1 })).toEqual([2, 2])
    // A bound at or above the number of calls bounds nothing and is left out.
    runner.map('c', [1, 2], { concurrency: 2 })
    expect(sent).toEqual([
      {
        request: { op: 'batch', mode: 'all', calls: [['a', 1, 2], ['b']], abortGrace: 75 },
        timeout: 100,
      },
      {
        request: {
          op: 'batch',
          mode: 'all',
          calls: [
            ['c', 7],
            ['c', 8],
          ],
          abortGrace: 75,
          concurrency: 1,
        },
        timeout: 5_000,
      },
      {
        request: {
          op: 'batch',
          mode: 'all',
          calls: [
            ['c', 1],
            ['c', 2],
          ],
          abortGrace: 75,
        },
        timeout: 5_000,
      },
    ])
  })

  it('turns the answer into results: settled reasons and the first failure decoded', () => {
    const failure = new PalitraError('ERR_PALITRA_NOT_FOUND', 'no export "x"')
    const answers: BatchAnswer[] = [
      {
        settled: [
          { status: 'fulfilled', value: 1 },
          { status: 'rejected', reason: failure },
        ],
      },
      { failed: 0, error: failure, runaway: false },
    ]
    const { runner } = recordingRunner(() => answers.shift())
    expect(runner.allSettled([['a'], ['x']])).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: failure },
    ])
    expect(caught(() => runner.all([['x']]))).toBe(failure)
  })
})
