import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Runner } from '@palitra/core'
import type { SuiteContext } from './context.js'
import { type PoolTasks, poolTasks } from './fixtures.js'
import { caught } from './helpers.js'

const single = '(skipped for a single host)'

/**
 * What a pool of hosts (`capabilities.parallel`) adds: calls spread over hosts, state per host,
 * an open iterator holding its host, one host's crash or runaway leaving the others alone. These
 * cases need a pool of at least two hosts.
 */
export function poolTests({ describe, expect, testIf, open, caps }: SuiteContext): void {
  const openPool = (options = {}) => open(options, poolTasks) as unknown as Runner<PoolTasks>

  describe('pools', () => {
    testIf(
      caps.parallel,
      `an open iterator holds its host: every step runs there, calls meanwhile go to another ${single}`,
      () => {
        using runner = openPool()
        const steps = runner.iterate('hostSteps', 3)
        const held = steps.next().value
        expect(runner.call('hostId')).not.toBe(held)
        expect([...steps]).toEqual([held, held])
      },
    )

    testIf(caps.parallel, `module state is per host, and kept across calls ${single}`, () => {
      using runner = openPool()
      const steps = runner.iterate('hostSteps', 2)
      const held = steps.next().value
      const bumps = [runner.call('bump'), runner.call('bump'), runner.call('bump')]
      expect(bumps.map((bump) => bump.counter)).toEqual([1, 2, 3])
      expect(new Set(bumps.map((bump) => bump.host))).toEqual(new Set([bumps[0]!.host]))
      expect(bumps[0]!.host).not.toBe(held)
      steps.return()
    })

    testIf(
      caps.parallel,
      `a host that crashes fails only its own call; the others go on and the pool replaces it ${single}`,
      () => {
        using runner = openPool()
        const steps = runner.iterate('hostSteps', 3)
        const held = steps.next().value
        const error = caught(() => runner.call('exitWith', 7))
        expect(error.code).toBe('ERR_PALITRA_CRASHED')
        expect(error.exitCode).toBe(7)
        expect(steps.next().value).toBe(held)
        expect(runner.state).toBe('ready')
        expect(runner.call('hostId')).not.toBe(held)
        expect([...steps]).toEqual([held])
      },
    )

    testIf(
      caps.parallel,
      `a runaway past its timeout has only its own host replaced ${single}`,
      () => {
        using runner = openPool({ abortGrace: 50 })
        const steps = runner.iterate('hostSteps', 2)
        const held = steps.next().value
        const before = runner.call('hostId')
        const error = caught(() => runner.callWith('runaway', { timeout: 100 }))
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(error.replaced).toBe(true)
        const after = runner.call('hostId')
        expect(after).not.toBe(before)
        expect(after).not.toBe(held)
        expect(steps.next().value).toBe(held)
      },
    )

    testIf(
      caps.parallel,
      `a timed-out task that honours its AbortSignal keeps its host and its state ${single}`,
      () => {
        using runner = openPool()
        const first = runner.call('bump')
        const error = caught(() => runner.callWith('sleep', { timeout: 50 }, 30_000))
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(error.replaced).toBe(false)
        expect(runner.call('bump')).toEqual({ host: first.host, counter: first.counter + 1 })
      },
    )

    testIf(
      caps.parallel,
      `a call while every host is held by an open iterator is ERR_PALITRA_DEADLOCK at once ${single}`,
      () => {
        using runner = openPool({ timeout: 30_000 })
        const held: ReturnType<typeof runner.iterate<'hostSteps'>>[] = []
        let refused: any
        while (!refused && held.length < 64) {
          try {
            const steps = runner.iterate('hostSteps', 2)
            steps.next()
            held.push(steps)
          } catch (error) {
            refused = error
          }
        }
        expect(refused?.code).toBe('ERR_PALITRA_DEADLOCK')
        expect(new Set(held.map((steps) => steps.next().value)).size).toBe(held.length)
        for (const steps of held) steps.return()
        expect(typeof runner.call('hostId')).toBe('string')
      },
    )

    const withDir = (body: (dir: string) => void) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'palitra-pool-'))
      try {
        body(dir)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    const aborted = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('aborted-'))

    testIf(
      caps.parallel,
      `a batch runs on several hosts at once: two calls that keep their host busy meet at a barrier ${single}`,
      () =>
        withDir((dir) => {
          using runner = openPool()
          const met = runner.all([
            ['busyBarrier', dir, 'a', 2, 20_000],
            ['busyBarrier', dir, 'b', 2, 20_000],
          ])
          expect(met.map((result) => result.passed)).toEqual([true, true])
          expect(met[0]!.host).not.toBe(met[1]!.host)
        }),
    )

    testIf(
      caps.parallel,
      `each host runs its share of a batch concurrently: 20 calls all in flight together ${single}`,
      () =>
        withDir((dir) => {
          using runner = openPool()
          const calls = Array.from(
            { length: 20 },
            (_, i) => ['barrier', dir, `call-${i}`, 20, 20_000] as const,
          )
          const met = runner.all(calls)
          expect(met.every((result) => result.passed)).toBe(true)
          expect(new Set(met.map((result) => result.host)).size).toBeGreaterThan(1)
        }),
    )

    testIf(
      caps.parallel,
      `a batch's concurrency bounds the whole pool: 3 calls meet with a bound of 3, never with 2 ${single}`,
      () =>
        withDir((dir) => {
          using runner = openPool()
          const round = (name: string, limitMs: number) => {
            const where = path.join(dir, name)
            mkdirSync(where)
            return ['a', 'b', 'c'].map((call) => ['meet', where, call, 3, limitMs] as const)
          }
          expect(runner.all(round('two', 300), { concurrency: 2 })).toEqual([false, false, false])
          expect(runner.all(round('three', 20_000), { concurrency: 3 })).toEqual([true, true, true])
        }),
    )

    testIf(
      caps.parallel,
      `the first rejection of all() is thrown as itself and aborts the calls on every host ${single}`,
      () =>
        withDir((dir) => {
          using runner = openPool()
          const sleepers = ['a', 'b', 'c', 'd'].map(
            (name) => ['abortableSleep', dir, name, 30_000] as const,
          )
          // The timeout is the test's way out should the abort never reach the sleepers.
          const error = caught(() =>
            runner.all([...sleepers, ['failAfter', 5]], { timeout: 20_000 }),
          )
          expect(error).toBeInstanceOf(RangeError)
          expect(error.code).toBe('E_LATE')
          const where = new Set(aborted(dir).map((name) => name))
          expect(where.size).toBe(4)
          expect(runner.all([['hostId'], ['hostId']])).toHaveLength(2)
        }),
    )

    testIf(
      caps.parallel,
      `a batch past its timeout is ERR_PALITRA_TIMEOUT, its calls aborted on every host ${single}`,
      () =>
        withDir((dir) => {
          using runner = openPool({ timeout: 10_000 })
          const sleepers = ['a', 'b', 'c', 'd'].map(
            (name) => ['abortableSleep', dir, name, 30_000] as const,
          )
          const error = caught(() => runner.allSettled([...sleepers, ['hostId']], { timeout: 100 }))
          expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
          expect(error.message).toContain('a batch of 5 calls')
          expect(aborted(dir)).toHaveLength(4)
          expect(runner.all([['hostId'], ['hostId']])).toHaveLength(2)
        }),
    )

    testIf(
      caps.parallel,
      `a host that dies under allSettled() fails only its own calls ${single}`,
      () => {
        using runner = openPool()
        const [slept, died] = runner.allSettled([
          ['sleep', 50],
          ['exitWith', 3],
        ]) as [PromiseFulfilledResult<number>, PromiseRejectedResult]
        expect(slept).toEqual({ status: 'fulfilled', value: 50 })
        expect(died.status).toBe('rejected')
        expect(died.reason.code).toBe('ERR_PALITRA_CRASHED')
        expect(died.reason.exitCode).toBe(3)
        expect(runner.all([['hostId'], ['hostId']])).toHaveLength(2)
      },
    )

    testIf(
      caps.parallel,
      `close runs teardown in every host, even one an open iterator holds ${single}`,
      () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'palitra-pool-teardown-'))
        try {
          const runner = openPool()
          runner.call('setTeardownMarker', dir)
          const steps = runner.iterate('hostSteps', 5)
          steps.next()
          runner.call('setTeardownMarker', dir)
          runner.close()
          expect(readdirSync(dir)).toHaveLength(2)
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
    )

    testIf(
      caps.parallel,
      `close returns once its hosts have ended, not after the 5 s a stuck relay is given ${single}`,
      () => {
        const runner = openPool()
        runner.call('hostId')
        const started = performance.now()
        runner.close()
        // The relay is told to stop by a message it hears while this thread blocks; it used to
        // learn it only from its port closing, which waits on this thread's loop, so every
        // close ran out the whole grace.
        expect(performance.now() - started).toBeLessThan(2_500)
      },
    )
  })
}
