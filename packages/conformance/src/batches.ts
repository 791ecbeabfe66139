import { createRunner, type RunnerOptions } from '@palitra/core'
import type { ConformanceApi, ConformanceOptions } from './context.js'
import { type ConformanceTasks, conformanceTasks } from './fixtures.js'
import { caught, inMacrotask } from './helpers.js'

/**
 * `all`, `allSettled` and `map`: many calls in one blocking wait, run concurrently in the host.
 * Concurrency is asserted from inside the host (how many calls of `trackedSleep` were in flight
 * at once), never by the wall clock.
 */
export function batchConformanceSuite(api: ConformanceApi, options: ConformanceOptions): void {
  const { describe, it, expect } = api
  const caps = options.backend().capabilities
  const open = (runnerOptions: RunnerOptions = {}) =>
    createRunner<ConformanceTasks>(conformanceTasks, {
      backend: options.backend(),
      ...runnerOptions,
    })
  const test = (name: string, body: () => void) => it(name, () => inMacrotask(body))
  const testIf = (condition: boolean, name: string, body: () => void) =>
    it.skipIf(!condition)(name, () => inMacrotask(body))
  /** `count` copies of one call. */
  const times = <T>(count: number, call: T): T[] => Array.from({ length: count }, () => call)

  describe('batches', () => {
    test('all() gives every result in the order of the calls, whatever order they finish in', () => {
      using runner = open()
      const results = runner.all([
        ['trackedSleep', 40],
        ['trackedSleep', 1],
        ['inc', 1],
        ['syncAdd', 2, 3],
        ['echo', { nested: [1, 'two'] }],
        ['echo', undefined],
      ])
      expect(results).toEqual([40, 1, 2, 5, { nested: [1, 'two'] }, undefined])
      expect(runner.all([])).toEqual([])
      expect(runner.map('inc', [])).toEqual([])
    })

    testIf(
      !caps.parallel,
      'the calls of a batch run at once in the host: 100 timers of 10 ms all in flight together (skipped for pools: counted in the module state of each host; the pool cases show it across hosts)',
      () => {
        using runner = open()
        runner.call('resetBatchStats')
        const results = runner.map('trackedSleep', times(100, 10))
        expect(results).toEqual(times(100, 10))
        expect(runner.call('batchStats')).toEqual({
          inFlight: 0,
          maxInFlight: 100,
          abortedCalls: 0,
        })
      },
    )

    testIf(
      !caps.parallel,
      'map() runs at most `concurrency` calls at once, and all() takes the bound too (skipped for pools: counted in the module state of each host; the pool cases show it across hosts)',
      () => {
        using runner = open()
        runner.call('resetBatchStats')
        const inputs = Array.from({ length: 12 }, (_, i) => i % 4)
        expect(runner.map('trackedSleep', inputs, { concurrency: 3 })).toEqual(inputs)
        expect(runner.call('batchStats').maxInFlight).toBe(3)
        runner.call('resetBatchStats')
        expect(runner.all(times(5, ['trackedSleep', 2] as const), { concurrency: 2 })).toEqual(
          times(5, 2),
        )
        expect(runner.call('batchStats').maxInFlight).toBe(2)
        runner.call('resetBatchStats')
        expect(runner.map('trackedSleep', new Set([1, 2, 3]), { concurrency: 1 })).toEqual([
          1, 2, 3,
        ])
        expect(runner.call('batchStats').maxInFlight).toBe(1)
      },
    )

    testIf(
      !caps.parallel,
      'the first rejection of all() is thrown as itself, and the other calls are aborted (skipped for pools: counted in the module state of each host; the pool cases show it across hosts)',
      () => {
        using runner = open()
        runner.call('resetBatchStats')
        // The timeout is the test's way out should the abort never reach the sleepers.
        const error = caught(() =>
          runner.all([...times(5, ['trackedSleep', 30_000] as const), ['failAfter', 5]], {
            timeout: 20_000,
          }),
        )
        expect(error).toBeInstanceOf(RangeError)
        expect(error.message).toBe('failed after 5 ms')
        expect(error.code).toBe('E_LATE')
        expect(error.stack).toContain('failAfter')
        // The batch answers once the aborted calls have settled: none is left running.
        expect(runner.call('batchStats')).toEqual({ inFlight: 0, maxInFlight: 5, abortedCalls: 5 })
        const mapped = caught(() => runner.map('throwError', ['type', 'dom']))
        // Both reject at once; the first to start is the first to reject.
        expect(mapped).toBeInstanceOf(TypeError)
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    test('a failed all() starts no more of its calls', () => {
      using runner = open()
      runner.call('resetBatchStats')
      const error = caught(() =>
        runner.all([['failAfter', 1], ...times(10, ['trackedSleep', 1] as const)], {
          concurrency: 1,
        }),
      )
      expect(error.code).toBe('E_LATE')
      expect(runner.call('batchStats').maxInFlight).toBe(0)
    })

    test('allSettled() gives every outcome in order, reasons rebuilt as themselves', () => {
      using runner = open()
      const outcomes = runner.allSettled([
        ['inc', 1],
        ['throwError', 'type'],
        ['throwError', 'aggregate'],
        ['throwError', 'string'],
        ['noSuchTask' as never],
        ['notAFunction' as never],
        ['range' as never, 3],
        ['trackedSleep', 5],
      ])
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'fulfilled',
      ])
      const reasons = outcomes.map((outcome: any) => outcome.reason)
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 2 })
      expect(outcomes[7]).toEqual({ status: 'fulfilled', value: 5 })
      expect(reasons[1]).toBeInstanceOf(TypeError)
      expect(reasons[1].code).toBe('E_BAD_INPUT')
      expect(reasons[1].detail).toEqual({ field: 'name' })
      expect(reasons[1].cause).toBeInstanceOf(RangeError)
      expect(reasons[1].stack).toContain('throwError')
      expect(reasons[2]).toBeInstanceOf(AggregateError)
      expect(reasons[2].errors[1]).toBeInstanceOf(TypeError)
      expect(reasons[3]).toBe('a plain string')
      expect(reasons[4].code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(reasons[4].message).toContain('noSuchTask')
      expect(reasons[5].code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(reasons[6].code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(reasons[6].message).toContain('runner.iterate("range"')
      expect(runner.call('inc', 1)).toBe(2)
    })

    test('a task that returns an async iterator fails its batch with a pointer to iterate()', () => {
      using runner = open()
      const error = caught(() =>
        runner.all([
          ['inc', 1],
          ['range' as never, 3],
        ]),
      )
      expect(error.code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(error.message).toContain('iterate')
      expect([...runner.iterate('range', 2)]).toEqual([0, 1])
    })

    testIf(
      caps.serializes,
      'a value that cannot cross is ERR_PALITRA_SERIALIZE: the batch’s in all(), that call’s in allSettled()',
      () => {
        using runner = open()
        const [ok, bad] = runner.allSettled([['inc', 1], ['returnsFunction']]) as any[]
        expect(ok).toEqual({ status: 'fulfilled', value: 2 })
        expect(bad.reason.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(bad.reason.message).toContain('result.callback')
        expect(caught(() => runner.all([['returnsFunction'], ['inc', 1]])).code).toBe(
          'ERR_PALITRA_SERIALIZE',
        )
        const argument = caught(() =>
          runner.all([
            ['inc', 1],
            ['echo', { f: () => 1 }],
          ]),
        )
        expect(argument.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(argument.message).toContain('calls[1][1].f')
        // Nothing ran: in allSettled the call that cannot be sent is the only one to fail.
        const settled = runner.allSettled([
          ['inc', 1],
          ['echo', { f: () => 1 }],
          ['inc', 2],
        ]) as any[]
        expect(settled[0]).toEqual({ status: 'fulfilled', value: 2 })
        expect(settled[1].reason.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(settled[1].reason.message).toContain('calls[1][1].f')
        expect(settled[2]).toEqual({ status: 'fulfilled', value: 3 })
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(!caps.serializes, 'values of a batch pass through untouched in-process', () => {
      using runner = open()
      const fn = () => 1
      const shared = { nested: [fn] }
      const [same, other] = runner.all([
        ['echo', shared],
        ['echo', fn],
      ])
      expect(same).toBe(shared)
      expect(other).toBe(fn)
      const [settled] = runner.allSettled([['returnsFunction']])
      expect(settled.status === 'fulfilled' && settled.value.callback()).toBe(1)
    })

    it.skipIf(caps.worksInMicrotask)(
      'a batch inside a microtask is ERR_PALITRA_CONTEXT, not a hang',
      async () => {
        const runner = open()
        try {
          await inMacrotask(() => runner.start())
          await Promise.resolve()
          expect(caught(() => runner.all([['inc', 1]])).code).toBe('ERR_PALITRA_CONTEXT')
          expect(await inMacrotask(() => runner.map('inc', [1, 2]))).toEqual([2, 3])
        } finally {
          await inMacrotask(() => runner.close())
        }
      },
    )

    testIf(
      !caps.parallel,
      'a batch past its timeout is ERR_PALITRA_TIMEOUT, its pending calls aborted; the runner goes on (skipped for pools: counted in the module state of each host; the pool cases show it across hosts)',
      () => {
        using runner = open({ timeout: 10_000 })
        const start = runner.call('bump')
        runner.call('resetBatchStats')
        const error = caught(() =>
          runner.allSettled([...times(3, ['trackedSleep', 30_000] as const), ['inc', 1]], {
            timeout: 100,
          }),
        )
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(error.message).toContain('a batch of 4 calls')
        expect(runner.call('batchStats')).toEqual({ inFlight: 0, maxInFlight: 3, abortedCalls: 3 })
        expect(
          caught(() => runner.map('trackedSleep', [30_000, 30_000], { timeout: 50 })).code,
        ).toBe('ERR_PALITRA_TIMEOUT')
        expect(runner.all([['bump'], ['inc', 1]])).toEqual([start + 1, 2])
      },
    )

    test('a runner-wide timeout is the deadline of a whole batch', () => {
      using runner = open({ timeout: 100 })
      expect(caught(() => runner.all([['sleep', 30_000]])).code).toBe('ERR_PALITRA_TIMEOUT')
      expect(runner.all([['inc', 1]])).toEqual([2])
    })

    testIf(
      caps.restartsAfterCrash,
      'calls that ignore their abort are stopped by replacing the host (after a rejection or a timeout)',
      () => {
        using runner = open({ abortGrace: 50 })
        runner.call('bump')
        const error = caught(() =>
          runner.all([
            ['ignoreSignal', 30_000],
            ['throwError', 'type'],
          ]),
        )
        expect(error).toBeInstanceOf(TypeError)
        expect(runner.call('bump')).toBe(1)
        runner.call('bump')
        expect(caught(() => runner.all([['inc', 1], ['runaway']], { timeout: 100 })).code).toBe(
          'ERR_PALITRA_TIMEOUT',
        )
        expect(runner.call('bump')).toBe(1)
      },
    )

    testIf(
      caps.restartsAfterCrash && !caps.parallel,
      'a host that dies under allSettled() makes ERR_PALITRA_CRASHED the reason of every call (skipped for pools: only the calls of the host that died fail, see the pool cases)',
      () => {
        using runner = open()
        const outcomes = runner.allSettled([
          ['trackedSleep', 30_000],
          ['exitWith', 3],
        ]) as PromiseRejectedResult[]
        expect(outcomes.map((outcome) => outcome.reason.code)).toEqual([
          'ERR_PALITRA_CRASHED',
          'ERR_PALITRA_CRASHED',
        ])
        expect(caught(() => runner.all([['exitWith', 3]])).code).toBe('ERR_PALITRA_CRASHED')
        expect(runner.map('inc', [1, 2])).toEqual([2, 3])
      },
    )

    test('bad batch input is ERR_PALITRA_INVALID_ARGUMENT or ERR_PALITRA_NOT_FOUND; the runner goes on', () => {
      using runner = open()
      const anyRunner = runner as any
      const invalidInputs: (() => unknown)[] = [
        () => anyRunner.all(42),
        () => anyRunner.all('inc'),
        () => anyRunner.all(null),
        () => anyRunner.all([['inc', 1], 'inc']),
        () => anyRunner.allSettled([{ name: 'inc' }]),
        () => anyRunner.map('inc', 5),
        () => anyRunner.map('inc', 'abc'),
        () => runner.map('inc', [1], { concurrency: 0 }),
        () => runner.map('inc', [1], { concurrency: 1.5 }),
        () => runner.map('inc', [1], { concurrency: Number.NaN }),
        () => runner.all([['inc', 1]], { timeout: -1 }),
        () => runner.all([['inc', 1]], { concurency: 2 } as never),
        () => anyRunner.all([['inc', 1]], 7),
      ]
      for (const bad of invalidInputs) expect(caught(bad).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      for (const bad of [
        () => anyRunner.all([[42]]),
        () => anyRunner.all([[]]),
        () => anyRunner.map('', [1]),
        () => anyRunner.map(undefined, [1]),
      ]) {
        expect(caught(bad).code).toBe('ERR_PALITRA_NOT_FOUND')
      }
      expect(caught(() => anyRunner.all([['inc', 1], ['nope']])).code).toBe('ERR_PALITRA_NOT_FOUND')
      expect(runner.map('inc', [1, 2], { concurrency: Number.POSITIVE_INFINITY })).toEqual([2, 3])
      runner.close()
      expect(caught(() => runner.all([['inc', 1]])).code).toBe('ERR_PALITRA_CLOSED')
    })
  })
}
