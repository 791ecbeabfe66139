import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { awaitSync, deasyncBackend } from '@palitra/backend-deasync'
import { createRunner } from '@palitra/core'
import { describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)

function runScript(script: string, node = process.execPath) {
  const result = spawnSync(node, [script], { cwd: fixtures, encoding: 'utf8', timeout: 30_000 })
  if (result.error) throw result.error
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout)
}

const caught = (body: () => unknown): any => {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

/** Node binaries other than this one (`.ci/run` installs Node 22 and 24 and lists them). */
const otherNodes = (process.env.PALITRA_TEST_NODES ?? '').split(path.delimiter).filter(Boolean)

describe('deasync backend', () => {
  it('refuses at once inside a test body, which runs inside a promise', () => {
    using runner = createRunner(tasks, { backend: deasyncBackend() })
    const error = caught(() => runner.call('sleep', 1))
    expect(error.code).toBe('ERR_PALITRA_CONTEXT')
    expect(error.message).toContain('worker backend')
    expect(caught(() => awaitSync(Promise.resolve(1))).code).toBe('ERR_PALITRA_CONTEXT')
  })

  it('blocks from macrotasks and timer callbacks, and refuses in every microtask context', () => {
    const results = runScript('contexts.mjs')
    const refused = { code: 'ERR_PALITRA_CONTEXT', mentionsWorker: true }
    expect(results.esmTopLevel).toEqual(refused)
    expect(results.afterAwait).toEqual(refused)
    expect(results.inThen).toEqual(refused)
    expect(results.inSetImmediate).toEqual({ ok: 1 })
    expect(results.inTimerSameDuration).toEqual({ ok: 1 })
    expect(results.inTimerLonger).toEqual({ ok: 5 })
  })

  it("shares the application's module instance, passes values by reference, runs closures, rethrows the same error", () => {
    expect(runScript('shared-instance.mjs')).toEqual({
      sameInstance: true,
      byReference: true,
      fromClosure: 42,
      captured: 21,
      sameError: true,
      awaitSync: 'settled',
      awaitSyncValue: 7,
    })
  })

  it('refuses a wait nested in another wait with ERR_PALITRA_DEADLOCK, and both runners go on', () => {
    expect(runScript('nested-wait.mjs')).toEqual({
      outerResult: 50,
      nestedCode: 'ERR_PALITRA_DEADLOCK',
      afterwards: 1,
    })
  })

  it('burns no CPU while waiting', () => {
    const { wallMs, cpuMs } = runScript('cpu-while-waiting.mjs')
    expect(wallMs).toBeGreaterThanOrEqual(490)
    // A spinning uv_run would use the whole 500 ms.
    expect(cpuMs).toBeLessThan(100)
  })

  it('works from CommonJS, through require() of the ES module packages', () => {
    expect(runScript('commonjs.cjs')).toEqual({ slept: 2, value: 1 })
  })

  it.each(otherNodes)('installs and blocks on %s too', (node) => {
    expect(runScript('commonjs.cjs', node)).toEqual({ slept: 2, value: 1 })
  })

  it('says clearly when the native addon is missing, so auto resolution can skip it', () => {
    const backend = deasyncBackend({ addon: '@palitra/no-such-addon' })
    expect(backend.unavailableReason()).toContain('did not load')
    const error = caught(() => createRunner(tasks, { backend }))
    expect(error.code).toBe('ERR_PALITRA_UNAVAILABLE')
    expect(caught(() => awaitSync(1, { addon: '@palitra/no-such-addon' })).code).toBe(
      'ERR_PALITRA_UNAVAILABLE',
    )
  })
})
