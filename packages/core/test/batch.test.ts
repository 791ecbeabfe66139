import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { type BatchCalls, type BatchRequest, runBatch } from '../src/host/batch.js'
import { CallScope } from '../src/scope.js'

/** Calls are `['wait', ms]` (honours its signal), `['stubborn', ms]` (ignores it), `['fail', ms]`. */
function fakeCalls() {
  const seen = { started: [] as number[], aborted: 0 }
  const calls: BatchCalls = {
    start(name, args, scope) {
      const ms = args[0] as number
      seen.started.push(ms)
      if (name === 'fail') return delay(ms).then(() => Promise.reject(new Error(`fail ${ms}`)))
      if (name === 'stubborn') return delay(ms).then(() => ms)
      return delay(ms, ms, { signal: scope.signal }).catch((error) => {
        seen.aborted++
        throw error
      })
    },
    refuse: () => undefined,
    encodeError: (error) => error,
  }
  return { seen, calls }
}

const request = (calls: [string, number][], extra: Partial<BatchRequest> = {}): BatchRequest => ({
  op: 'batch',
  calls,
  mode: 'all',
  abortGrace: 50,
  ...extra,
})

describe('runBatch (the host side of a batch)', () => {
  it('starts calls as earlier ones settle, never more than `concurrency` at once', async () => {
    const { seen, calls } = fakeCalls()
    const batch = runBatch(
      request(
        [
          ['wait', 20],
          ['wait', 5],
          ['wait', 1],
        ],
        { concurrency: 2 },
      ),
      new CallScope(),
      calls,
    )
    expect(seen.started).toEqual([20, 5])
    expect(await batch).toEqual({ values: [20, 5, 1] })
  })

  it('answers the first failure once the aborted rest has settled', async () => {
    const { seen, calls } = fakeCalls()
    const answer = await runBatch(
      request([
        ['wait', 10_000],
        ['fail', 1],
        ['wait', 10_000],
      ]),
      new CallScope(),
      calls,
    )
    expect(answer).toEqual({ failed: 1, error: new Error('fail 1'), runaway: false })
    expect(seen.aborted).toBe(2)
  })

  it('says `runaway` when an aborted call is still running after abortGrace', async () => {
    const { calls } = fakeCalls()
    const answer = await runBatch(
      request(
        [
          ['stubborn', 2_000],
          ['fail', 1],
        ],
        { abortGrace: 20 },
      ),
      new CallScope(),
      calls,
    )
    expect(answer).toMatchObject({ failed: 1, runaway: true })
  })

  it('once its own abort comes, leaves runaways to the session: no early answer', async () => {
    const { calls } = fakeCalls()
    const scope = new CallScope()
    const batch = runBatch(
      request(
        [
          ['stubborn', 100],
          ['fail', 1],
        ],
        { abortGrace: 30 },
      ),
      scope,
      calls,
    )
    await delay(10)
    const reason = new Error('deadline')
    scope.abort(reason)
    // Without an answer the session's own wait ends in replacing the host; a late `runaway`
    // answer would have it keep the host instead.
    await expect(batch).rejects.toBe(reason)
  })

  it('rejects with the reason of its own abort, after its calls have settled', async () => {
    const { seen, calls } = fakeCalls()
    const scope = new CallScope()
    const batch = runBatch(
      request(
        [
          ['wait', 10_000],
          ['wait', 10_000],
        ],
        { mode: 'allSettled' },
      ),
      scope,
      calls,
    )
    const reason = new Error('deadline')
    scope.abort(reason)
    await expect(batch).rejects.toBe(reason)
    expect(seen.aborted).toBe(2)
  })

  it('settles every call in allSettled mode, failures included', async () => {
    const { calls } = fakeCalls()
    const answer = await runBatch(
      request(
        [
          ['fail', 1],
          ['wait', 2],
        ],
        { mode: 'allSettled' },
      ),
      new CallScope(),
      calls,
    )
    expect(answer).toEqual({
      settled: [
        { status: 'rejected', reason: new Error('fail 1') },
        { status: 'fulfilled', value: 2 },
      ],
    })
  })
})
