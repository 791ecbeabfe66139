import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { workerBackend } from '@palitra/backend-worker'
import {
  caught,
  eventually,
  inMacrotask,
  type PoolTasks,
  poolTasks,
  settledThreadCount,
  threadCount,
} from '@palitra/conformance'
import { closeAllRunners, createRunner, getRunner, type Runner } from '@palitra/core'
import { afterAll, describe, expect, it } from 'vitest'

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
const scratch = mkdtempSync(path.join(tmpdir(), 'palitra-worker-pool-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const openPool = (
  options: Parameters<typeof workerBackend>[0] = { pool: { size: 2 } },
  runner = {},
): Runner<PoolTasks> =>
  createRunner<PoolTasks>(poolTasks, { backend: workerBackend(options), ...runner })

describe('worker backend with a pool', () => {
  it('refuses bad pool options with ERR_PALITRA_INVALID_ARGUMENT', () => {
    const bad: unknown[] = [
      null,
      [],
      2,
      { size: 0 },
      { size: -1 },
      { size: 1.5 },
      { size: '2' },
      { size: Number.NaN },
      { size: 2, minSize: 3 },
      { size: 2, idleTimeout: -5 },
      { size: 2, maxHeapBeforeRecycle: 0 },
      { size: 2, sise: 3 },
    ]
    for (const pool of bad) {
      const error = caught(() => workerBackend({ pool: pool as never }))
      expect(error.code, JSON.stringify(pool)).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(error.message).toContain('pool')
    }
  })

  it('a relay thread that cannot start its pool leaves word of why (not "no word left")', () =>
    inMacrotask(() => {
      // A flag a Worker refuses, given explicitly: tinypool's constructor throws in the relay.
      using runner = openPool({ pool: { size: 2 }, execArgv: ['--title=palitra'] })
      const error = caught(() => runner.call('hostId'))
      expect(error.code).toBe('ERR_PALITRA_STARTUP')
      const died = error.cause as Error & { cause?: { code?: string } }
      expect(died.message).toContain("the pool's relay thread could not start tinypool")
      expect(died.message).not.toContain('no word left')
      expect(died.cause?.code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    }))

  it('says it is parallel, and getRunner keeps pooled and single-host runners apart', () =>
    inMacrotask(() => {
      const single = getRunner(poolTasks, { backend: workerBackend() })
      const pooled = getRunner(poolTasks, { backend: workerBackend({ pool: { size: 2 } }) })
      const other = getRunner(poolTasks, { backend: workerBackend({ pool: { size: 3 } }) })
      try {
        expect(single.backend.capabilities.parallel).toBe(false)
        expect(pooled.backend.capabilities.parallel).toBe(true)
        expect(pooled).not.toBe(single)
        expect(other).not.toBe(pooled)
        expect(getRunner(poolTasks, { backend: workerBackend({ pool: { size: 2 } }) })).toBe(pooled)
      } finally {
        closeAllRunners()
      }
    }))

  it('close ends every host thread and the relay: the thread count is back where it was', async () => {
    // The first runner of a thread starts its watchdog, which stays: count from after that.
    await inMacrotask(() => {
      using runner = openPool()
      runner.call('hostId')
    })
    const before = await settledThreadCount()
    const during = await inMacrotask(() => {
      const runner = openPool({ pool: { size: 3 } }, { abortGrace: 50 })
      const steps = runner.iterate('hostSteps', 3)
      steps.next()
      expect(caught(() => runner.callWith('runaway', { timeout: 50 })).replaced).toBe(true)
      expect(caught(() => runner.call('exitWith', 1)).code).toBe('ERR_PALITRA_CRASHED')
      runner.call('hostId')
      const count = threadCount()
      runner.close()
      return count
    })
    // Three hosts and the relay.
    expect(during).toBeGreaterThanOrEqual(before + 4)
    expect(await eventually(threadCount, (count) => count === before)).toBe(before)
  })

  it('a host that runs out of memory under resourceLimits is ERR_PALITRA_CRASHED; the pool replaces it', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend({
          pool: { size: 2 },
          resourceLimits: { maxOldGenerationSizeMb: 32 },
        }),
      })
      const error = caught(() => runner.call('hog'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      expect(error.message).toContain('out of memory')
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('maxHeapBeforeRecycle replaces a host after a call that leaves its heap above the limit', () =>
    inMacrotask(() => {
      using runner = openPool({ pool: { size: 1, maxHeapBeforeRecycle: 1 } })
      const first = runner.call('bump')
      const second = runner.call('bump')
      // Any heap is above one byte: each call gets a fresh host, whose state starts over.
      expect(first.counter).toBe(1)
      expect(second.counter).toBe(1)
      expect(second.host).not.toBe(first.host)
    }))

  it('a host idle past idleTimeout beyond minSize ends, running its teardown', async () => {
    const dir = mkdtempSync(path.join(scratch, 'idle-'))
    await inMacrotask(() => {
      const runner = openPool({ pool: { size: 2, minSize: 1, idleTimeout: 50 } })
      const steps = runner.iterate('hostSteps', 2)
      steps.next()
      // The only kept host is held: this call makes a second host, which then sits idle.
      runner.call('setTeardownMarker', dir)
      ;(globalThis as { idleRunner?: unknown }).idleRunner = runner
    })
    expect(
      await eventually(
        () => readdirSync(dir).length,
        (n) => n === 1,
      ),
    ).toBe(1)
    await inMacrotask(() => (globalThis as { idleRunner?: Runner }).idleRunner!.close())
  })
})
