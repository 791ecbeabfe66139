import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { workerBackend } from '@palitra/backend-worker'
import { inMacrotask } from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import { afterAll, describe, expect, it } from 'vitest'
import { compileCacheDirectory, runCachedScript } from '../src/compile-cache.ts'

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
const scratch = mkdtempSync(path.join(tmpdir(), 'palitra-compile-cache-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

let directories = 0
const freshDirectory = () => path.join(scratch, `cache-${++directories}`)

/** One runner's first call with the worker's environment plus `env`; its answer. */
const firstCall = (env: NodeJS.ProcessEnv) =>
  inMacrotask(() => {
    using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
      backend: workerBackend({ env: { ...process.env, ...env } }),
    })
    return runner.call('inc', 41)
  })

const cacheFiles = (directory: string) =>
  existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.cache')) : []

describe('the worker host’s code cache', () => {
  it('is written by the first runner and read, unchanged, by the next', async () => {
    const directory = freshDirectory()
    expect(await firstCall({ PALITRA_COMPILE_CACHE: directory })).toBe(42)
    const [file, ...others] = cacheFiles(directory)
    expect(others).toEqual([])
    expect(file).toMatch(/^host-body\.js-.+\.cache$/)
    const written = readFileSync(path.join(directory, file!))
    const writtenAt = statSync(path.join(directory, file!)).mtimeMs
    expect(await firstCall({ PALITRA_COMPILE_CACHE: directory })).toBe(42)
    expect(statSync(path.join(directory, file!)).mtimeMs).toBe(writtenAt)
    expect(readFileSync(path.join(directory, file!)).equals(written)).toBe(true)
    // Only this user may read or write it: the directory and the file.
    expect(statSync(directory).mode & 0o777).toBe(0o700)
    expect(statSync(path.join(directory, file!)).mode & 0o777).toBe(0o600)
  })

  it('replaces a cache V8 rejects, and the host still answers', async () => {
    const directory = freshDirectory()
    await firstCall({ PALITRA_COMPILE_CACHE: directory })
    const [file] = cacheFiles(directory)
    const garbage = Buffer.alloc(4096, 7)
    writeFileSync(path.join(directory, file!), garbage)
    expect(await firstCall({ PALITRA_COMPILE_CACHE: directory })).toBe(42)
    const replaced = readFileSync(path.join(directory, file!))
    expect(replaced.equals(garbage)).toBe(false)
    expect(cacheFiles(directory)).toEqual([file])
  })

  it('keeps one cache per set of Node flags, so runners with other flags do not rewrite it', async () => {
    const directory = freshDirectory()
    const withFlags = (execArgv: string[]) =>
      inMacrotask(() => {
        using runner = createRunner<typeof import('./fixtures/tasks.mjs')>(tasks, {
          backend: workerBackend({
            execArgv,
            env: { ...process.env, PALITRA_COMPILE_CACHE: directory },
          }),
        })
        return runner.call('inc', 1)
      })
    expect(await withFlags([])).toBe(2)
    expect(await withFlags(['--no-warnings'])).toBe(2)
    expect(cacheFiles(directory)).toHaveLength(2)
    const times = () => cacheFiles(directory).map((f) => statSync(path.join(directory, f)).mtimeMs)
    const before = times()
    expect(await withFlags([])).toBe(2)
    expect(await withFlags(['--no-warnings'])).toBe(2)
    expect(times()).toEqual(before)
  })

  it("removes the host's caches unwritten for a month when it writes one, and nothing else", async () => {
    const directory = freshDirectory()
    mkdirSync(directory, { mode: 0o700 })
    const monthsAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000)
    const stale = path.join(directory, 'host-body.js-0.0.0-x64-1-1.cache')
    const recent = path.join(directory, 'host-body.js-0.0.0-x64-2-2.cache')
    const someoneElses = path.join(directory, 'other.js-0.0.0-x64-1-1.cache')
    for (const file of [stale, recent, someoneElses]) writeFileSync(file, 'x')
    for (const file of [stale, someoneElses]) utimesSync(file, monthsAgo, monthsAgo)
    expect(await firstCall({ PALITRA_COMPILE_CACHE: directory })).toBe(42)
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(recent)).toBe(true)
    expect(existsSync(someoneElses)).toBe(true)
    expect(cacheFiles(directory)).toHaveLength(3)
  })

  it('is neither read nor written with PALITRA_DISABLE_COMPILE_CACHE=1', async () => {
    const directory = freshDirectory()
    expect(
      await firstCall({ PALITRA_COMPILE_CACHE: directory, PALITRA_DISABLE_COMPILE_CACHE: '1' }),
    ).toBe(42)
    expect(existsSync(directory)).toBe(false)
  })

  it.skipIf(process.platform === 'win32' || process.getuid?.() === undefined)(
    'is not used in a directory another user could write (skipped on Windows: no POSIX modes)',
    async () => {
      const directory = freshDirectory()
      mkdirSync(directory, { mode: 0o700 })
      chmodSync(directory, 0o777)
      expect(await firstCall({ PALITRA_COMPILE_CACHE: directory })).toBe(42)
      expect(cacheFiles(directory)).toEqual([])
    },
  )

  it.skipIf(process.platform === 'win32')(
    'lives by default in a directory of this user’s under the temporary directory (skipped on Windows: os.tmpdir() there)',
    () => {
      const user = process.getuid?.() ?? 'user'
      expect(compileCacheDirectory({ TMPDIR: '/tmp/x/' })).toBe(
        `/tmp/x/palitra-compile-cache-${user}`,
      )
      expect(compileCacheDirectory({})).toBe(`/tmp/palitra-compile-cache-${user}`)
      expect(compileCacheDirectory({ PALITRA_COMPILE_CACHE: '/somewhere' })).toBe('/somewhere')
      expect(compileCacheDirectory({ PALITRA_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined()
    },
  )
})

describe('runCachedScript', () => {
  const script = path.join(scratch, 'body.js')
  writeFileSync(
    script,
    "const twice = (n) => n * 2\nif (boom) throw new Error('boom')\nreturn twice",
  )
  const url = pathToFileURL(script)

  it('runs a file as the body of a function of the names given, from the cache once saved', () => {
    const directory = freshDirectory()
    const first = runCachedScript(url, ['boom'], directory)
    expect(first.fromCache).toBe(false)
    expect((first.value as (boom: boolean) => (n: number) => number)(false)(21)).toBe(42)
    first.save()
    const second = runCachedScript(url, ['boom'], directory)
    expect(second.fromCache).toBe(true)
    expect((second.value as (boom: boolean) => (n: number) => number)(false)(4)).toBe(8)
  })

  it("keeps the file's own line numbers in stack traces", () => {
    const { value } = runCachedScript(url, ['boom'], undefined)
    let stack = ''
    try {
      ;(value as (boom: boolean) => unknown)(true)
    } catch (error) {
      stack = (error as Error).stack ?? ''
    }
    expect(stack).toContain(`${url.href}:2:`)
  })

  it('is strict, as the module it was built from', () => {
    const sloppy = path.join(scratch, 'sloppy.js')
    writeFileSync(sloppy, 'undeclared = 1\nreturn undeclared')
    const { value } = runCachedScript(pathToFileURL(sloppy), [], undefined)
    expect(() => (value as () => unknown)()).toThrow(ReferenceError)
  })
})
