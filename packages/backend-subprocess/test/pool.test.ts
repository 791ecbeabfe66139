import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { subprocessBackend } from '@palitra/backend-subprocess'
import {
  isAlive as alive,
  caught,
  childPids as children,
  eventually,
  inMacrotask,
  type PoolTasks,
  poolTasks,
} from '@palitra/conformance'
import { createRunner, type Runner } from '@palitra/core'
import { describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)

const openPool = (
  options: Parameters<typeof subprocessBackend>[0] = { pool: { size: 2 } },
  runner = {},
): Runner<PoolTasks> =>
  createRunner<PoolTasks>(poolTasks, { backend: subprocessBackend(options), ...runner })

describe('subprocess backend with a pool', () => {
  it('refuses bad pool options with ERR_PALITRA_INVALID_ARGUMENT', () => {
    for (const pool of [null, { size: 0 }, { size: 2.5 }, { size: 1, minSize: 2 }, { nope: 1 }]) {
      const error = caught(() => subprocessBackend({ pool: pool as never }))
      expect(error.code, JSON.stringify(pool)).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    }
    expect(subprocessBackend({ pool: { size: 2 } }).capabilities.parallel).toBe(true)
    expect(subprocessBackend().capabilities.parallel).toBe(false)
  })

  it('close leaves no child process behind, none of them a zombie, after crashes and runaways', async () => {
    expect(children()).toEqual([])
    const during = await inMacrotask(() => {
      const runner = openPool({ pool: { size: 2 } }, { abortGrace: 50 })
      const steps = runner.iterate('hostSteps', 3)
      steps.next()
      expect(caught(() => runner.callWith('runaway', { timeout: 50 })).replaced).toBe(true)
      expect(caught(() => runner.call('exitWith', 1)).code).toBe('ERR_PALITRA_CRASHED')
      runner.call('hostId')
      const pids = children()
      runner.close()
      return pids
    })
    expect(during.length).toBeGreaterThanOrEqual(2)
    // close() returns once every child has been reaped: nothing is left, not even a zombie.
    expect(children()).toEqual([])
  })

  it('shared memory in an argument is ERR_PALITRA_SERIALIZE, and the pool goes on', () =>
    inMacrotask(() => {
      using runner = openPool()
      const shared = new Uint8Array(new SharedArrayBuffer(8))
      const error = caught(() => (runner.call as any)('hostId', { shared }))
      expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
      expect(error.message).toContain('args[0].shared')
      const batch = caught(() => runner.all([['hostId'], ['sleep', shared as never]]))
      expect(batch.code).toBe('ERR_PALITRA_SERIALIZE')
      expect(batch.message).toContain('calls[1][1]')
      expect(typeof runner.call('hostId')).toBe('string')
    }))

  it('hosts get the given env, cwd and flags', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: subprocessBackend({
          pool: { size: 2 },
          cwd: fixtures,
          env: { ...process.env, PALITRA_TEST_VALUE: 'pooled' },
          maxOldSpaceSize: 64,
        }),
      })
      const state = runner.call('state')
      expect(state.cwd).toBe(fixtures.replace(/\/$/, ''))
      expect(state.env).toBe('pooled')
      expect(state.execArgv).toContain('--max-old-space-size=64')
    }))

  it('every host exits when the caller process is killed', async () => {
    const parent = spawn(process.execPath, ['parent-killed-pool.mjs'], {
      cwd: fixtures,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const pids = await new Promise<number[]>((resolve, reject) => {
      parent.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk))))
      parent.once('exit', () => reject(new Error('parent exited early')))
    })
    expect(pids).toHaveLength(2)
    expect(pids.every(alive)).toBe(true)
    parent.kill('SIGKILL')
    expect(
      await eventually(
        () => pids.filter(alive),
        (left) => left.length === 0,
      ),
    ).toEqual([])
  })
})
