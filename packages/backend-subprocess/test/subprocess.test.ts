import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { subprocessBackend } from '@palitra/backend-subprocess'
import { isAlive as alive, caught, inMacrotask } from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import { afterAll, describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'palitra-subprocess-')))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

type Tasks = typeof import('./fixtures/tasks.mjs')

const open = (options: Parameters<typeof subprocessBackend>[0] = {}, runner = {}) =>
  createRunner<Tasks>(tasks, { backend: subprocessBackend(options), ...runner })

/** Run a fixture script in its own process, as an application would run. */
/** Node binaries besides this one, from `PALITRA_TEST_NODES` (`.ci/run` sets Node 22, 24 and 26). */
const otherNodes = (process.env.PALITRA_TEST_NODES ?? '').split(path.delimiter).filter(Boolean)

const runFixture = (script: string) =>
  spawnSync(process.execPath, [script], { cwd: fixtures, encoding: 'utf8', timeout: 30_000 })

describe('subprocess backend', () => {
  it('keeps state in one persistent child, apart from the caller', () =>
    inMacrotask(() => {
      using runner = open()
      runner.call('inc', 1)
      runner.call('inc', 2)
      const { calls, pid } = runner.call('state')
      expect(calls).toBe(2)
      expect(pid).not.toBe(process.pid)
      expect(runner.call('state').pid).toBe(pid)
    }))

  it("isolates the child's process.chdir from the caller", () =>
    inMacrotask(() => {
      using runner = open()
      const before = process.cwd()
      expect(runner.call('changeDirectory', scratch)).toBe(scratch)
      expect(process.cwd()).toBe(before)
      expect(runner.call('state').cwd).toBe(scratch)
    }))

  it('passes execArgv, env, cwd and maxOldSpaceSize to the child', () =>
    inMacrotask(() => {
      using runner = open({
        execArgv: ['--no-deprecation'],
        env: { ...process.env, PALITRA_TEST_VALUE: 'from env' },
        cwd: scratch,
        maxOldSpaceSize: 200,
      })
      expect(runner.call('state')).toMatchObject({
        env: 'from env',
        cwd: scratch,
        execArgv: ['--no-deprecation', '--max-old-space-size=200'],
      })
    }))

  it('refuses a bad maxOldSpaceSize with ERR_PALITRA_INVALID_ARGUMENT', () => {
    expect(caught(() => subprocessBackend({ maxOldSpaceSize: -5 })).code).toBe(
      'ERR_PALITRA_INVALID_ARGUMENT',
    )
  })

  it('reports a child that exits as ERR_PALITRA_CRASHED with its exit code and last stderr lines, then recovers', () =>
    inMacrotask(() => {
      using runner = open()
      const first = runner.call('state').pid
      const error = caught(() => runner.call('crashWithMessage', 'the last words'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      expect(error.exitCode).toBe(9)
      expect(error.stderr).toContain('the last words')
      expect(error.message).toContain('the last words')
      expect(runner.call('state').pid).not.toBe(first)
    }))

  it('reports a child killed with SIGKILL', () =>
    inMacrotask(() => {
      using runner = open()
      const error = caught(() => runner.call('killSelf'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      expect(error.signal).toBe('SIGKILL')
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('reports a child out of memory under maxOldSpaceSize', () =>
    inMacrotask(() => {
      using runner = open({ maxOldSpaceSize: 32 })
      const error = caught(() => runner.call('hog'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      expect(error.stderr ?? '').toMatch(/heap|memory/i)
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('replaces a runaway child after its timeout, and leaves no process behind', async () => {
    const first = await inMacrotask(() => {
      using runner = open({}, { abortGrace: 100 })
      const first = runner.call('state').pid
      expect(caught(() => runner.callWith('runaway', { timeout: 100 })).code).toBe(
        'ERR_PALITRA_TIMEOUT',
      )
      expect(runner.call('state').pid).not.toBe(first)
      return first
    })
    // A SIGKILLed child lingers as a zombie until it is reaped, which under load can come later.
    const deadline = Date.now() + 5_000
    while (alive(first) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(alive(first)).toBe(false)
  })

  it('carries bodies of every size around the channel area both ways, the large ones transferred through the relay', () =>
    inMacrotask(() => {
      using runner = open()
      const area = 64 * 1024
      for (const length of [10, 1_000, area - 40, area - 17, area, area + 1, 3 * area, 16 * area]) {
        const text = 'ü'.repeat(length >> 1) + 'a'.repeat(length - (length >> 1))
        expect(runner.call('echo', text)).toBe(text)
        const bytes = new Uint8Array(length).map((_, i) => i)
        const got = runner.call('echo', bytes) as Uint8Array
        expect(got).toBeInstanceOf(Uint8Array)
        expect(Buffer.from(got).equals(bytes)).toBe(true)
      }
      // A large reply arrives in many socket chunks and is assembled into one buffer; calls go on.
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('writes task output in order with the caller, before the call returns, even on exit', () => {
    const result = runFixture('output-order.mjs')
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      'caller before\ntask line\ntask line 1\ntask line 2\ntask line 3\ncaller after\n',
    )
    expect(result.stderr).toBe(
      'task line (stderr)\n' +
        [1, 2, 3].map((i) => `caller ${i} (stderr)\ntask line ${i} (stderr)\n`).join(''),
    )
  })

  it('leaves no orphan when the parent is killed with SIGKILL', async () => {
    const parent = spawn(process.execPath, ['parent-killed.mjs'], {
      cwd: fixtures,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())))
      parent.once('exit', () => reject(new Error('parent exited early')))
    })
    expect(alive(childPid)).toBe(true)
    parent.kill('SIGKILL')
    const deadline = Date.now() + 5_000
    while (alive(childPid) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(alive(childPid)).toBe(false)
  })

  // Node 26 prints twenty-odd native stack frames after V8's FATAL ERROR line, which pushed it
  // out of the report's stderr tail.
  it.each([process.execPath, ...otherNodes])(
    'on %s: a child out of memory is reported as that, native stack frames left out',
    (node) => {
      const result = spawnSync(node, ['out-of-memory.mjs'], {
        cwd: fixtures,
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(result.status, result.stderr).toBe(0)
      const { code, stderr } = JSON.parse(result.stdout)
      expect(code).toBe('ERR_PALITRA_CRASHED')
      expect(stderr).toMatch(/FATAL ERROR: .*heap out of memory/)
      expect(stderr).not.toMatch(/^\s*\d+: 0x[0-9a-f]+/m)
    },
  )

  it('works when the caller is itself a worker thread', () => {
    const result = runFixture('in-worker.mjs')
    expect(result.status, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ results: [2, 3], calls: 2, childIsOther: true })
  })
})
