import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { workerBackend } from '@palitra/backend-worker'
import {
  caught,
  eventually,
  inMacrotask,
  settledThreadCount,
  threadCount,
} from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import { afterAll, describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
const scratch = mkdtempSync(path.join(tmpdir(), 'palitra-worker-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/**
 * Node binaries other than the one running the tests (Node >= 22.18 strips types and lets
 * workers use loaders): `PALITRA_TEST_NODES` lists their paths, separated by the path delimiter.
 * `.ci/run` installs Node 22, 24 and 26 from the npm registry and sets it.
 */
function otherNodes(): { version: string; binary: string }[] {
  const list = (process.env.PALITRA_TEST_NODES ?? '').split(path.delimiter).filter(Boolean)
  return list.map((binary) => ({
    binary,
    version: spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim(),
  }))
}

function runScript(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: fixtures,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...options.env },
  })
  if (result.error) throw result.error
  return result
}

describe('worker backend', () => {
  it('serves 100 000 calls in a row', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend(),
      })
      let sum = 0
      for (let i = 0; i < 100_000; i++) sum += runner.call('inc', i)
      expect(sum).toBe((99_999 * 100_000) / 2 + 100_000)
      expect(runner.call('callCount')).toBe(100_000)
    }))

  it('runs quick calls on the host thread alone; a long wait adds the death-watch thread, and close ends both', async () => {
    const before = await settledThreadCount()
    // A start-up that sleeps past the load's hand-over (a second, on a heavily loaded machine)
    // starts the death watch itself, and then says nothing of quick calls: it is repeated.
    for (let attempt = 1; ; attempt++) {
      const counts = await inMacrotask(() => {
        using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
          backend: workerBackend(),
        })
        runner.start()
        const started = threadCount()
        if (started !== before + 1) return { started }
        for (let i = 0; i < 1_000; i++) runner.call('inc', i)
        const quick = threadCount()
        runner.call('sleep', 300)
        return { started, quick, slow: threadCount() }
      })
      expect(await eventually(threadCount, (count) => count === before)).toBe(before)
      if (counts.quick === undefined && attempt < 5) continue
      expect(counts).toEqual({ started: before + 1, quick: before + 1, slow: before + 2 })
      return
    }
  })

  it('reports a worker that runs out of memory as ERR_PALITRA_CRASHED within a second, then recovers', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend({ resourceLimits: { maxOldGenerationSizeMb: 32 } }),
      })
      const before = runner.call('whereAmI').threadId
      const started = performance.now()
      const error = caught(() => runner.call('hog'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      // The hog itself takes a while to fill 32 MB; detection after death is what must be quick.
      expect(performance.now() - started).toBeLessThan(10_000)
      expect(runner.call('whereAmI').threadId).not.toBe(before)
    }))

  it('reports an uncaught error in the worker as ERR_PALITRA_CRASHED with the error as cause', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend(),
      })
      const error = caught(() => runner.call('throwLater'))
      expect(error.code).toBe('ERR_PALITRA_CRASHED')
      expect(error.cause).toBeInstanceOf(RangeError)
      expect(error.cause.message).toBe('thrown from a timer')
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('answers a call that can never settle with ERR_PALITRA_DEADLOCK at once, without a timeout', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend(),
      })
      expect(caught(() => runner.call('never')).code).toBe('ERR_PALITRA_DEADLOCK')
      expect(runner.call('inc', 1)).toBe(2)
    }))

  it('works with spinning turned off and with a custom spin policy', () =>
    inMacrotask(() => {
      for (const spin of [false, { caller: 0, host: 10 }, { caller: 200, host: 2_000 }] as const) {
        using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
          backend: workerBackend({ spin }),
        })
        let sum = 0
        for (let i = 0; i < 200; i++) sum += runner.call('inc', i)
        expect(sum).toBe((199 * 200) / 2 + 200)
      }
    }))

  it('passes execArgv and env to the worker', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend({
          execArgv: ['--no-deprecation'],
          env: { PALITRA_TEST_VALUE: 'from env' },
        }),
      })
      expect(runner.call('whereAmI')).toMatchObject({
        execArgv: ['--no-deprecation'],
        env: 'from env',
      })
    }))

  it('refuses execArgv flags a worker cannot take with ERR_PALITRA_INVALID_ARGUMENT', () =>
    inMacrotask(() => {
      using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
        backend: workerBackend({ execArgv: ['--expose-gc'] }),
      })
      const error = caught(() => runner.call('inc', 1))
      expect(error.code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      expect(error.message).toContain('--expose-gc')
    }))

  it('drops inherited flags a worker refuses (node --expose-gc)', () => {
    const code = `import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const runner = createRunner(${JSON.stringify(tasks.href)}, { backend: workerBackend() })
console.log(runner.call('whereAmI').gc)`
    const result = runScript(['--expose-gc', '--input-type=module', '-e', code])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('function')
  })

  it('says how to load TypeScript tasks where this Node cannot', () =>
    inMacrotask(() => {
      using runner = createRunner(new URL('./fixtures/typed.ts', import.meta.url), {
        backend: workerBackend({ execArgv: [] }),
      })
      let error: any
      try {
        expect(runner.call('greet', { name: 'ts' })).toBe('hello ts')
      } catch (failure) {
        error = failure
      }
      if (error) {
        expect(error.code).toBe('ERR_PALITRA_STARTUP')
        expect(error.message).toContain('TypeScript tasks load on Node >= 22.18')
      }
    }))

  describe.each(otherNodes())('TypeScript tasks on Node $version', ({ binary }) => {
    it.each([
      ['stripping types natively', '[]'],
      ['through a loader in execArgv', '["--import", "tsx"]'],
    ])('load %s', (_how, execArgv) => {
      const code = `import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const runner = createRunner(${JSON.stringify(new URL('./fixtures/typed.ts', import.meta.url).href)}, { backend: workerBackend({ execArgv: ${execArgv} }) })
console.log(runner.call('greet', { name: 'ts' }))`
      const result = spawnSync(binary, ['--no-warnings', '--input-type=module', '-e', code], {
        cwd: fixtures,
        encoding: 'utf8',
        timeout: 30_000,
      })
      expect(result.status, result.stderr).toBe(0)
      expect(result.stdout.trim()).toBe('hello ts')
    })
  })

  it('writes task output in order with the caller, before the call returns, even on exit', () => {
    const result = runScript(['output-order.mjs'])
    expect(result.status).toBe(0)
    expect(result.stdout).toBe('caller before\ntask line\ncaller after\n')
    expect(result.stderr).toBe('task line (stderr)\n')
  })

  it("passes on output written around the host's fd writes, through the thread's own streams", () => {
    const result = runScript(['stray-output.mjs'])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toBe('stray line\n')
    expect(result.stderr).toBe('stray line (stderr)\n')
  })

  it('lets a process with an open runner exit on its own, running teardown on the way', () => {
    const marker = path.join(scratch, 'exit-marker')
    const result = runScript(['exit-without-close.mjs', marker])
    expect(result.status).toBe(0)
    expect(result.stdout.trim()).toBe('2')
    expect(readFileSync(marker, 'utf8')).toMatch(/^torn down by \d+$/)
  })

  it('closes a shared runner nobody holds any more (FinalizationRegistry)', () => {
    const marker = path.join(scratch, 'gc-marker')
    const result = runScript(['--expose-gc', 'registry-gc.mjs', marker])
    expect(result.status, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ closedByFinalizer: true })
    expect(existsSync(marker)).toBe(true)
  })

  it('burns no CPU while a runner is idle', () => {
    const result = runScript(['idle-cpu.mjs'])
    expect(result.status, result.stderr).toBe(0)
    // A host or caller still spinning would use ~1 000 ms of CPU in this second.
    expect(JSON.parse(result.stdout).cpuMs).toBeLessThan(200)
  })

  it('serves callers in 4 threads, each with its own runner', () => {
    const result = runScript(['threads.mjs'])
    expect(result.status, result.stderr).toBe(0)
    const expectedSum = (19_999 * 20_000) / 2 + 20_000
    expect(JSON.parse(result.stdout)).toEqual(
      [1, 2, 3, 4].map((thread) => ({ thread, sum: expectedSum, calls: 20_000 })),
    )
  })

  it('starts under node --input-type=module -e (the inherited flag is filtered out)', () => {
    const code = `import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const runner = createRunner(${JSON.stringify(tasks.href)}, { backend: workerBackend() })
console.log(runner.call('inc', 41))`
    const result = runScript(['--input-type=module', '-e', code])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('42')
  })
})
