import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { awaitSync, deasyncBackend } from '@palitra/backend-deasync'
import { inMacrotask } from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import { getSignal } from '@palitra/core/task'
import { afterAll, describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('../', import.meta.url))
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
const scratch = mkdtempSync(path.join(tmpdir(), 'palitra-deasync-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Node binaries besides this one, from `PALITRA_TEST_NODES` (`.ci/run` sets Node 22, 24 and 26). */
const otherNodes = (process.env.PALITRA_TEST_NODES ?? '').split(path.delimiter).filter(Boolean)

/**
 * The environment of a script run as users run it: pnpm's bin shims set NODE_PATH to the
 * workspace's hoisted packages, through which core would find this repository's own backends.
 */
const { NODE_PATH: _hoisted, ...userEnv } = process.env

/** Run a fixture script in its own process (real blocking, outside vitest's promises). */
function runScript(script: string, options: { node?: string; cwd?: string; args?: string[] } = {}) {
  const result = spawnSync(options.node ?? process.execPath, [script, ...(options.args ?? [])], {
    cwd: options.cwd ?? fixtures,
    encoding: 'utf8',
    timeout: 30_000,
    env: userEnv,
  })
  if (result.error) throw result.error
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout)
}

function caught(body: () => unknown): any {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

const open = (options: { timeout?: number } = {}) =>
  createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
    backend: deasyncBackend(),
    ...options,
  })

describe('where it cannot block, it refuses at once', () => {
  it('inside a vitest test body (a promise): ERR_PALITRA_CONTEXT naming the worker backend', async () => {
    const runner = await inMacrotask(() => open().start())
    const error = caught(() => runner.call('sleep', 1))
    expect(error.code).toBe('ERR_PALITRA_CONTEXT')
    expect(error.message).toContain('worker backend')
    expect(caught(() => runner.run(async () => 1)).code).toBe('ERR_PALITRA_CONTEXT')
    expect(caught(() => awaitSync(Promise.resolve(1))).code).toBe('ERR_PALITRA_CONTEXT')
    // Refused before anything ran: the runner goes on from a macrotask.
    expect(await inMacrotask(() => runner.call('sleep', 1))).toBe(1)
    runner.close()
  })

  it('inside a .then callback and a queued microtask', async () => {
    const inThen = await Promise.resolve().then(() => caught(() => awaitSync(1)))
    expect(inThen.code).toBe('ERR_PALITRA_CONTEXT')
    const queued = await new Promise<any>((resolve) =>
      queueMicrotask(() => resolve(caught(() => awaitSync(1)))),
    )
    expect(queued.code).toBe('ERR_PALITRA_CONTEXT')
  })

  it('after an await, at ESM top level, in .then; blocks in setImmediate, nextTick, I/O and timer callbacks (same-duration timer trap included)', () => {
    const refused = { code: 'ERR_PALITRA_CONTEXT', namesWorker: true }
    expect(runScript('contexts.mjs')).toEqual({
      esmTopLevel: refused,
      afterAwait: refused,
      inThen: refused,
      inQueuedMicrotask: refused,
      inSetImmediate: { value: 'immediate' },
      inThenAfterACall: refused,
      beforeAwaitInAsyncFunction: { value: 1 },
      afterAwaitFollowingACall: refused,
      inNextTick: { value: 'nextTick' },
      inTimerSameDuration: { value: 1 },
      inTimerSecondCall: { value: 10 },
      inTimer10SameDuration: { value: 10 },
      inInterval: { value: 2 },
      inIoCallback: { value: 1 },
    })
  })

  it('a runner made inside a microtask is fine: only blocking there is refused', async () => {
    await Promise.resolve()
    const runner = open()
    expect(deasyncBackend().unavailableReason()).toBeUndefined()
    expect(await inMacrotask(() => runner.call('sleep', 1))).toBe(1)
    runner.close()
  })

  it('a wait nested in another wait is ERR_PALITRA_DEADLOCK at once, and the outer wait ends', () => {
    const { outerResult, nested, afterwards } = runScript('nested-wait.mjs')
    expect(outerResult).toBe(50)
    expect(nested.runner.code).toBe('ERR_PALITRA_DEADLOCK')
    expect(nested.runner.message).toContain('already blocked waiting for task "sleep"')
    expect(nested.awaitSync).toBe('ERR_PALITRA_DEADLOCK')
    expect(nested.refusedAtOnce).toBe(true)
    expect(afterwards).toBe(1)
  })

  it('in-process too: a timer firing during a wait cannot block again', () =>
    inMacrotask(() => {
      let nested: any
      setTimeout(() => {
        nested = caught(() => awaitSync(Promise.resolve('inner')))
      }, 1)
      expect(awaitSync(delay(30, 'outer'))).toBe('outer')
      expect(nested.code).toBe('ERR_PALITRA_DEADLOCK')
      expect(nested.message).toContain('the promise given to awaitSync()')
    }))
})

describe('in-process: shared instance, closures, identity', () => {
  it("the tasks module is the app's own instance; functions, class instances and sockets cross by reference; errors are the same object", () => {
    expect(runScript('shared-instance.mjs')).toEqual({
      sameInstance: true,
      sameModule: true,
      functionByReference: true,
      classInstanceByReference: true,
      socketByReference: true,
      doubled: 42,
      captured: 21,
      sameError: true,
      awaitSync: 2,
    })
  })

  it('run() takes inline closures: captured state, sync and async results, thrown errors as is', () =>
    inMacrotask(() => {
      using runner = open()
      const seen: number[] = []
      expect(runner.run(async (n: number) => seen.push(n), 7)).toBe(1)
      expect(seen).toEqual([7])
      expect(runner.run((a: number, b: number) => a + b, 2, 3)).toBe(5)
      const instance = new (class Box {})()
      expect(runner.run(async () => instance)).toBe(instance)
      const thrown = new RangeError('from a closure')
      expect(caught(() => runner.run(async () => Promise.reject(thrown)))).toBe(thrown)
      expect(
        caught(() =>
          runner.run(() => {
            throw thrown
          }),
        ),
      ).toBe(thrown)
    }))

  it("a timeout aborts the closure's signal with the very error the caller gets", () =>
    inMacrotask(() => {
      using runner = open({ timeout: 50 })
      let signal: AbortSignal | undefined
      const error = caught(() =>
        runner.run(async () => {
          signal = getSignal()
          await delay(10_000, undefined, { signal }).catch(() => {})
          return 'stopped'
        }),
      )
      expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
      expect(signal?.aborted).toBe(true)
      expect(signal?.reason).toBe(error)
    }))

  it('awaitSync: promises, thenables and plain values; rejections as is; its own timeout', () =>
    inMacrotask(() => {
      expect(awaitSync(delay(5, 'late'))).toBe('late')
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this line is about
      expect(awaitSync({ then: (resolve: (v: number) => void) => resolve(3) })).toBe(3)
      expect(awaitSync(4)).toBe(4)
      const thrown = new Error('rejected')
      expect(caught(() => awaitSync(Promise.reject(thrown)))).toBe(thrown)
      expect(caught(() => awaitSync(new Promise(() => {}), { timeout: 20 })).code).toBe(
        'ERR_PALITRA_TIMEOUT',
      )
      expect(caught(() => awaitSync(1, { timeout: -1 })).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    }))
})

describe('loading the tasks module', () => {
  it('top-level await (imported, evaluated once), CommonJS (the namespace import() gives, one instance), TypeScript (a clear STARTUP error where types are not stripped)', () => {
    const results = runScript('module-kinds.mjs')
    expect(results.topLevelAwait).toEqual({ value: [1, 1] })
    expect(results.commonjsDefault).toEqual({ value: 'default export' })
    expect(results.commonjsNamed).toEqual({ value: [1, 2] })
    expect(results.commonjsShared).toEqual({ value: 2 })
    expect(results.typed.code).toBe('ERR_PALITRA_STARTUP')
    expect(results.typed.cause).toBe('ERR_UNKNOWN_FILE_EXTENSION')
    expect(results.typed.message).toContain('Node >= 22.18')
  })

  it.each(otherNodes)(
    'on %s: the same contexts, and TypeScript tasks where types are stripped',
    (node) => {
      expect(runScript('module-kinds.mjs', { node }).typed).toEqual({ value: 42 })
      expect(runScript('contexts.mjs', { node }).inTimerSameDuration).toEqual({ value: 1 })
      expect(runScript('commonjs-app.cjs', { node })).toEqual({
        slept: 2,
        afterImmediate: 'immediate',
        awaited: 1,
      })
    },
  )

  it('from a CommonJS application, whose top level can block', () => {
    expect(runScript('commonjs-app.cjs')).toEqual({
      slept: 2,
      afterImmediate: 'immediate',
      awaited: 1,
    })
  })
})

describe('waiting costs no CPU', () => {
  it('a 500 ms wait costs a few ms of CPU: in setImmediate, on an unreferenced timer, in a timer callback', () => {
    const results = runScript('cpu-while-waiting.mjs')
    for (const { wallMs, cpuMs } of Object.values<{ wallMs: number; cpuMs: number }>(results)) {
      expect(wallMs).toBeGreaterThanOrEqual(490)
      // Spinning would cost the whole 500 ms; the bound leaves room for GC and JIT threads.
      expect(cpuMs).toBeLessThan(100)
    }
  })
})

describe('close', () => {
  it('runs the teardown export, which may await timers, and later calls are ERR_PALITRA_CLOSED', () =>
    inMacrotask(() => {
      const marker = path.join(scratch, 'closed')
      const runner = open()
      runner.call('setTeardownMarker', marker)
      runner.close()
      expect(readFileSync(marker, 'utf8')).toBe('torn down')
      expect(caught(() => runner.call('sleep', 1)).code).toBe('ERR_PALITRA_CLOSED')
    }))

  it('inside a microtask never throws; the teardown goes on by itself', async () => {
    const marker = path.join(scratch, 'closed-in-microtask')
    const runner = await inMacrotask(() => {
      const opened = open()
      opened.call('setTeardownMarker', marker)
      return opened
    })
    runner.close()
    expect(runner.state).toBe('closed')
    for (let i = 0; i < 100 && !existsSync(marker); i++) await delay(10)
    expect(readFileSync(marker, 'utf8')).toBe('torn down')
  })

  it('on process exit, for a runner nobody closed', () => {
    const marker = path.join(scratch, 'closed-on-exit')
    expect(runScript('exit-teardown.mjs', { args: [marker] })).toBe('scheduled')
    expect(readFileSync(marker, 'utf8')).toBe('torn down')
  })
})

describe('a missing native addon', () => {
  it('is ERR_PALITRA_UNAVAILABLE with the reason, never a crash at import', () => {
    const backend = deasyncBackend({ addon: path.join(scratch, 'no-such-deasync') })
    expect(backend.unavailableReason()).toContain('did not load')
    expect(caught(() => createRunner(tasks, { backend })).code).toBe('ERR_PALITRA_UNAVAILABLE')
    expect(caught(() => deasyncBackend({ addon: '' })).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
  })

  it('as installed without its binary (install script skipped): every way in says why', () => {
    // A real install of both packages whose deasync has its JavaScript but no native binary.
    const app = path.join(scratch, 'app')
    const modules = path.join(app, 'node_modules')
    const deasync = realpathSync(path.join(packageRoot, 'node_modules/deasync'))
    const bindings = path.dirname(createRequire(path.join(deasync, 'index.js')).resolve('bindings'))
    mkdirSync(path.join(modules, '@palitra/backend-deasync'), { recursive: true })
    mkdirSync(path.join(modules, 'deasync'), { recursive: true })
    for (const file of ['package.json', 'dist']) {
      cpSync(path.join(packageRoot, file), path.join(modules, '@palitra/backend-deasync', file), {
        recursive: true,
      })
    }
    for (const file of ['package.json', 'index.js']) {
      cpSync(path.join(deasync, file), path.join(modules, 'deasync', file))
    }
    symlinkSync(bindings, path.join(modules, 'bindings'))
    symlinkSync(
      realpathSync(path.join(packageRoot, 'node_modules/@palitra/core')),
      path.join(modules, '@palitra/core'),
    )
    for (const file of ['missing-addon.mjs', 'tasks.mjs']) {
      cpSync(path.join(fixtures, file), path.join(app, file))
    }
    const results = runScript('missing-addon.mjs', { cwd: app })
    expect(results.reason).toContain('did not load')
    expect(results.reason).toContain('onlyBuiltDependencies')
    for (const way of ['explicit', 'byName', 'auto', 'awaitSync']) {
      expect(results[way].code, way).toBe('ERR_PALITRA_UNAVAILABLE')
      expect(results[way].message, way).toContain('bindings')
    }
  })
})
