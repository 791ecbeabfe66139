import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { describe as Describe, expect as Expect, it as It } from 'vitest'
import { closeAllRunners, createRunner, getRunner, syncFn } from '../index.js'
import type { Backend, Runner, RunnerOptions } from '../types.js'
import { fidelitySuite } from './fidelity.js'

/** The test functions a backend's test file hands over (vitest's). */
export interface ConformanceApi {
  readonly describe: typeof Describe
  readonly it: typeof It
  readonly expect: typeof Expect
}

/** The exports of the fixture tasks module, for typed calls. */
export interface ConformanceTasks {
  notAFunction: number
  inc(n: number): Promise<number>
  bump(): Promise<number>
  echo<T>(value: T): Promise<T>
  syncAdd(a: number, b: number): number
  throwError(kind: string): Promise<never>
  sleep(ms: number): Promise<number>
  recordAbortAfter(ms: number): Promise<boolean>
  lastSignalWasAborted(): Promise<boolean | undefined>
  ignoreSignal(ms: number): Promise<string>
  never(): Promise<never>
  runaway(): Promise<never>
  exitWith(code: number): Promise<never>
  returnsFunction(): Promise<{ ok: boolean; callback: () => number }>
  range(n: number): AsyncGenerator<number>
  wasRangeClosed(): Promise<boolean>
  arrayOf(n: number): Promise<number[]>
  setTeardownMarker(path: string): Promise<void>
  teardown(): Promise<void>
}

export interface ConformanceOptions {
  /** Makes a fresh backend object (called once per runner). */
  readonly backend: () => Backend
}

const fixtures = new URL('../fixtures/conformance/', import.meta.url)
/** The tasks module every backend serves in this suite. */
export const conformanceTasks: URL = new URL('tasks.mjs', fixtures)

/**
 * Run a blocking body from a macrotask: test runners call tests inside promises, where an
 * in-process backend (deasync) must refuse to block. A `setImmediate` callback is a place every
 * backend can block in.
 */
export function inMacrotask<T>(body: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(body())
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** The error `body` throws (fails the test when it throws nothing), for assertions on it. */
export function caught(body: () => unknown): any {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

/**
 * The behaviour every backend must share, run by each backend package with its own factory.
 * Tests a backend cannot pass by design are skipped by its declared capabilities, never by name.
 */
export function runnerConformanceSuite(api: ConformanceApi, options: ConformanceOptions): void {
  const { describe, it, expect } = api
  const probe = options.backend()
  const caps = probe.capabilities
  const open = (runnerOptions: RunnerOptions = {}, tasks: URL = conformanceTasks) =>
    createRunner<ConformanceTasks>(tasks, {
      backend: options.backend(),
      ...runnerOptions,
    })
  const test = (name: string, body: () => void) => it(name, () => inMacrotask(body))
  const testIf = (condition: boolean, name: string, body: () => void) =>
    it.skipIf(!condition)(name, () => inMacrotask(body))

  describe(`palitra conformance: ${probe.name}`, () => {
    describe('lifecycle and state', () => {
      // In-process backends share the module instance with the application and with every other
      // runner of it, so state is checked by increments, never by absolute counts.
      test('keeps module state across calls, through call() and the tasks proxy', () => {
        using runner = open()
        const start = runner.call('bump')
        expect(runner.tasks.bump()).toBe(start + 1)
        expect(runner.call('inc', 41)).toBe(42)
        expect(runner.tasks.syncAdd(2, 3)).toBe(5)
      })

      test('moves idle -> ready -> closed; close is idempotent; later calls are ERR_PALITRA_CLOSED', () => {
        const runner = open()
        expect(runner.state).toBe('idle')
        expect(runner.start()).toBe(runner)
        expect(runner.state).toBe('ready')
        runner.close()
        runner.close()
        expect(runner.state).toBe('closed')
        expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_CLOSED')
        expect(caught(() => runner.start()).code).toBe('ERR_PALITRA_CLOSED')
      })

      test('reports its backend and capabilities', () => {
        using runner = open()
        expect(runner.backend.name).toBe(probe.name)
        expect(runner.backend.capabilities).toEqual(caps)
      })

      test('runs the teardown export on close', () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'palitra-teardown-'))
        const marker = path.join(dir, 'marker')
        try {
          const runner = open()
          runner.call('setTeardownMarker', marker)
          runner.close()
          expect(readFileSync(marker, 'utf8')).toBe('torn down')
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      })

      test('serves 2 000 calls in a row with the right results', () => {
        using runner = open()
        let sum = 0
        for (let i = 0; i < 2_000; i++) sum += runner.call('inc', i)
        expect(sum).toBe((1999 * 2000) / 2 + 2000)
      })
    })

    describe('values', () => {
      test('round-trips primitives, nested objects and structured-clone types', () => {
        using runner = open()
        const values: unknown[] = [
          0,
          -1.5,
          2 ** 40,
          'text with ünïcødé and emoji 🎨',
          '',
          true,
          null,
          undefined,
          10n ** 30n,
          [1, 'two', [3]],
          { a: { b: [1, { c: 'd' }] }, e: null },
          { missing: undefined },
          new Date(0),
          new Map([['k', 1]]),
          new Set([1, 2]),
          new Uint8Array([1, 2, 3]),
          Number.NaN,
          -0,
          'x'.repeat(200_000),
        ]
        for (const value of values) expect(runner.call('echo', value)).toEqual(value)
        expect(Object.is(runner.call('echo', -0), -0)).toBe(true)
        expect(runner.call('arrayOf', 3)).toEqual([0, 2, 4])
      })
    })

    fidelitySuite(api, options.backend)

    describe('errors', () => {
      test('rethrows task errors as themselves: class, message, code, own props, cause, remote stack', () => {
        using runner = open()
        const error = caught(() => runner.call('throwError', 'type'))
        expect(error).toBeInstanceOf(TypeError)
        expect(error.message).toBe('bad input')
        expect(error.code).toBe('E_BAD_INPUT')
        expect(error.detail).toEqual({ field: 'name' })
        expect(error.cause).toBeInstanceOf(RangeError)
        expect(error.cause.message).toBe('root cause')
        expect(error.stack).toContain('throwError')
        expect(error.name).toBe('TypeError')
      })

      test('keeps AggregateError.errors, DOMException names, subclass names and non-error throws', () => {
        using runner = open()
        const aggregate = caught(() => runner.call('throwError', 'aggregate'))
        expect(aggregate).toBeInstanceOf(AggregateError)
        expect(aggregate.errors.map((e: Error) => e.message)).toEqual(['first', 'second'])
        expect(aggregate.errors[1]).toBeInstanceOf(TypeError)
        const dom = caught(() => runner.call('throwError', 'dom'))
        expect(dom).toBeInstanceOf(DOMException)
        expect(dom.name).toBe('AbortError')
        const custom = caught(() => runner.call('throwError', 'custom'))
        expect(custom).toBeInstanceOf(Error)
        expect(custom.name).toBe('ValidationError')
        expect(custom.message).toBe('custom class')
        expect(caught(() => runner.call('throwError', 'string'))).toBe('a plain string')
        expect(runner.call('inc', 1)).toBe(2)
      })

      test('unknown export and non-function export are ERR_PALITRA_NOT_FOUND, and the runner goes on', () => {
        using runner = open()
        const missing = caught(() => (runner.call as any)('noSuchTask'))
        expect(missing.code).toBe('ERR_PALITRA_NOT_FOUND')
        expect(missing.message).toContain('noSuchTask')
        expect(missing.message).toContain('bump')
        expect(caught(() => (runner.call as any)('notAFunction')).code).toBe(
          'ERR_PALITRA_NOT_FOUND',
        )
        expect(caught(() => (runner.call as any)('')).code).toBe('ERR_PALITRA_NOT_FOUND')
        expect(caught(() => (runner.call as any)(42)).code).toBe('ERR_PALITRA_NOT_FOUND')
        // Names an object inherits are not exports.
        for (const inherited of ['toString', 'constructor', 'hasOwnProperty', '__proto__'])
          expect(caught(() => (runner.call as any)(inherited)).code).toBe('ERR_PALITRA_NOT_FOUND')
        expect(runner.call('inc', 1)).toBe(2)
      })

      testIf(
        caps.serializes,
        'an argument that cannot cross is ERR_PALITRA_SERIALIZE naming where',
        () => {
          using runner = open()
          const error = caught(() => runner.call('echo', { nested: [1, () => 2] }))
          expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
          expect(error.message).toContain('args[0].nested[1]')
          expect(runner.call('inc', 1)).toBe(2)
        },
      )

      testIf(
        caps.serializes,
        'a result that cannot cross is ERR_PALITRA_SERIALIZE naming where',
        () => {
          using runner = open()
          const error = caught(() => runner.call('returnsFunction'))
          expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
          expect(error.message).toContain('result.callback')
          expect(runner.call('inc', 1)).toBe(2)
        },
      )

      testIf(
        !caps.serializes,
        'values that cannot be serialized pass through untouched in-process',
        () => {
          using runner = open()
          const fn = () => 1
          expect(runner.call('echo', fn)).toBe(fn)
          expect(runner.call('returnsFunction').callback()).toBe(1)
        },
      )

      test('bad options are ERR_PALITRA_INVALID_ARGUMENT', () => {
        expect(caught(() => open({ timeout: -1 })).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
        expect(caught(() => open({ nope: 1 } as never)).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
        expect(caught(() => createRunner(42 as never, { backend: options.backend() })).code).toBe(
          'ERR_PALITRA_INVALID_ARGUMENT',
        )
        using runner = open()
        expect(caught(() => runner.callWith('inc', { timeout: Number.NaN }, 1)).code).toBe(
          'ERR_PALITRA_INVALID_ARGUMENT',
        )
      })
    })

    describe('start-up failures are ERR_PALITRA_STARTUP with the real error as cause', () => {
      const startupError = (file: string) => {
        const runner = open({}, new URL(file, fixtures))
        try {
          return caught(() => runner.call('inc', 1))
        } finally {
          runner.close()
        }
      }
      test('syntax error', () => {
        const error = startupError('bad-syntax.mjs')
        expect(error.code).toBe('ERR_PALITRA_STARTUP')
        expect(error.cause).toBeInstanceOf(SyntaxError)
      })
      test('throw at top level', () => {
        const error = startupError('throws-at-load.mjs')
        expect(error.code).toBe('ERR_PALITRA_STARTUP')
        expect(error.cause.message).toBe('exploded while loading')
      })
      test('missing file, and the runner can be retried', () => {
        const runner = open({}, new URL('does-not-exist.mjs', fixtures))
        expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_STARTUP')
        expect(runner.state).toBe('idle')
        expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_STARTUP')
        runner.close()
      })
    })

    describe('timeouts', () => {
      test('a slow task past its timeout is ERR_PALITRA_TIMEOUT; its AbortSignal aborts; state survives', () => {
        using runner = open({ timeout: 10_000 })
        const start = runner.call('bump')
        const started = performance.now()
        const error = caught(() => runner.callWith('sleep', { timeout: 50 }, 30_000))
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(performance.now() - started).toBeLessThan(5_000)
        expect(
          caught(() => runner.callWith('recordAbortAfter', { timeout: 50 }, 30_000)).code,
        ).toBe('ERR_PALITRA_TIMEOUT')
        expect(runner.call('lastSignalWasAborted')).toBe(true)
        expect(runner.call('bump')).toBe(start + 1)
      })

      test('a runner-wide timeout applies to every call', () => {
        using runner = open({ timeout: 50 })
        expect(caught(() => runner.call('sleep', 30_000)).code).toBe('ERR_PALITRA_TIMEOUT')
        expect(runner.call('inc', 1)).toBe(2)
      })

      testIf(caps.restartsAfterCrash, 'a runaway task is stopped by replacing its host', () => {
        using runner = open({ abortGrace: 50 })
        const error = caught(() => runner.callWith('runaway', { timeout: 100 }))
        expect(error.code).toBe('ERR_PALITRA_TIMEOUT')
        expect(runner.call('inc', 1)).toBe(2)
      })

      test('a call whose promise can never settle ends (ERR_PALITRA_DEADLOCK at once, or its timeout)', () => {
        // In-process backends cannot tell a promise nothing will settle: they end it by timeout.
        using runner = open({ timeout: 1_000 })
        const error = caught(() => runner.call('never'))
        expect(['ERR_PALITRA_DEADLOCK', 'ERR_PALITRA_TIMEOUT']).toContain(error.code)
        expect(runner.call('inc', 1)).toBe(2)
      })
    })

    describe('crashes', () => {
      testIf(
        caps.restartsAfterCrash,
        'a host that exits is ERR_PALITRA_CRASHED; the next call starts a fresh one',
        () => {
          using runner = open()
          expect(runner.call('bump')).toBe(1)
          const error = caught(() => runner.call('exitWith', 3))
          expect(error.code).toBe('ERR_PALITRA_CRASHED')
          expect(error.exitCode).toBe(3)
          expect(runner.state).toBe('idle')
          expect(runner.call('bump')).toBe(1)
        },
      )
    })

    describe('iterators', () => {
      test('iterate() and call() on an async generator give sync iterators', () => {
        using runner = open()
        expect([...runner.iterate('range', 4)]).toEqual([0, 1, 2, 3])
        expect([...runner.call('range', 3)]).toEqual([0, 1, 2])
        expect([...runner.iterate('arrayOf', 3)]).toEqual([0, 2, 4])
      })

      test("an early break calls the task iterator's return()", () => {
        using runner = open()
        for (const value of runner.iterate('range', 100)) {
          if (value === 2) break
        }
        expect(runner.call('wasRangeClosed')).toBe(true)
      })

      test('iterating what is not iterable is a clear error', () => {
        using runner = open()
        expect(caught(() => runner.iterate('inc', 1)).code).toBe('ERR_PALITRA_INVALID_ARGUMENT')
      })
    })

    describe('registry', () => {
      test('getRunner shares one runner per module + backend + options; closeAllRunners closes them', () => {
        const backend = options.backend()
        const a = getRunner<ConformanceTasks>(conformanceTasks, { backend })
        const b = getRunner<ConformanceTasks>(conformanceTasks.href, { backend })
        const c = getRunner(conformanceTasks, { backend, timeout: 1_000 })
        expect(a).toBe(b)
        expect(a).not.toBe(c)
        const start = a.call('bump')
        expect(b.call('bump')).toBe(start + 1)
        closeAllRunners()
        expect(a.state).toBe('closed')
        expect(c.state).toBe('closed')
        const fresh = getRunner(conformanceTasks, { backend })
        expect(fresh).not.toBe(a)
        fresh.close()
      })

      test('syncFn gives a plain sync function that keeps its runner', () => {
        const inc = syncFn<ConformanceTasks, 'bump'>(conformanceTasks, 'bump', {
          backend: options.backend(),
        })
        const start = inc()
        expect(inc()).toBe(start + 1)
        closeAllRunners()
        expect(typeof inc()).toBe('number')
        closeAllRunners()
      })
    })
  })
}

export { cloneMismatch } from './clone-mismatch.js'
export type { Runner }
