import { execFile, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * What users get from the published packages, as they get them: core, the channel, the pool and the worker
 * backend are packed (`pnpm pack`, which rewrites `workspace:^`) and installed with npm into a
 * plain project, next to a CommonJS library that depends on core only. Every scenario is a separate Node process.
 */

const coreDir = fileURLToPath(new URL('..', import.meta.url))
const workerDir = path.join(coreDir, '..', 'backend-worker')
const channelDir = path.join(coreDir, '..', 'channel')
const poolDir = path.join(coreDir, '..', 'pool')
const fixtures = fileURLToPath(new URL('./fixtures/packed/', import.meta.url))

let root = ''
/** core + backend-worker + lib-cjs, installed by npm. */
let app = ''
/** core + lib-cjs only: no backend installed. */
let bare = ''
/** Like `app`, with a second copy of core nested under the library. */
let nested = ''
let libTasks = ''

/**
 * The environment of every child, without what the workspace leaks in: pnpm's bin shims set
 * NODE_PATH to the workspace store (where core would find the workspace's own backends), and
 * npm_* config, NODE_OPTIONS and PALITRA_* would change what npm and Node do.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|NODE_PATH$|NODE_OPTIONS$|PALITRA_)/i.test(key)) continue
    env[key] = value
  }
  return { ...env, ...extra }
}

/**
 * Packing and installing take seconds: run them without blocking the test worker, whose event
 * loop must keep answering vitest (it times out on a worker blocked for long on a loaded machine).
 */
async function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 120_000,
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      encoding: 'utf8',
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: childEnv({ npm_config_update_notifier: 'false' }),
    })
    return stdout
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string }
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${cwd} failed (${failure.message})\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`,
    )
  }
}

async function packInto(packageDir: string, destination: string): Promise<string> {
  if (!existsSync(path.join(packageDir, 'dist', 'index.js'))) {
    throw new Error(
      `${path.join(packageDir, 'dist')} is missing: build first (pnpm exec turbo run build --filter=@palitra/backend-worker...)`,
    )
  }
  mkdirSync(destination, { recursive: true })
  await run('pnpm', ['pack', '--pack-destination', destination], packageDir)
  const tarballs = readdirSync(destination).filter((name) => name.endsWith('.tgz'))
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${destination}: ${tarballs}`)
  return path.join(destination, tarballs[0]!)
}

/** A registry dependency of ours, packed from where pnpm installed it (npm runs offline here). */
async function packDependency(name: string, fromPackage: string, destination: string) {
  const dir = realpathSync(path.join(fromPackage, 'node_modules', name))
  mkdirSync(destination, { recursive: true })
  await run('npm', ['pack', dir, '--pack-destination', destination], destination)
  const tarballs = readdirSync(destination).filter((file) => file.endsWith('.tgz'))
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${destination}: ${tarballs}`)
  return path.join(destination, tarballs[0]!)
}

/** A plain npm project: the app fixtures, and `npm install` of the given tarballs and the library. */
async function npmProject(name: string, tarballs: string[]): Promise<string> {
  const dir = path.join(root, name)
  cpSync(path.join(fixtures, 'app'), dir, { recursive: true })
  await run(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      // Pack the library directory and install it like a registry package, not as a symlink.
      '--install-links',
      '--cache',
      path.join(root, 'npm-cache'),
      ...tarballs,
      path.join(root, 'lib-cjs'),
    ],
    dir,
  )
  return dir
}

interface NodeRun {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

function node(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  timeout = 30_000,
): NodeRun {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: childEnv(env),
  })
  if (result.error && !result.signal) throw result.error
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: performance.now() - started,
  }
}

/** Run a script that must exit 0 on its own, silently on stderr; parse its JSON line. */
function nodeJson(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  timeout = 30_000,
): any {
  const result = node(cwd, args, env, timeout)
  const where = `node ${args.join(' ')} (${Math.round(result.ms)} ms)\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`
  expect(result.signal, `killed: it did not exit on its own within ${timeout} ms\n${where}`).toBe(
    null,
  )
  expect(result.status, where).toBe(0)
  expect(result.stderr, `nothing on stderr (no warning, no error)\n${where}`).toBe('')
  const line = result.stdout.trim().split('\n').at(-1)
  return JSON.parse(line ?? 'null')
}

const unavailable = (message: RegExp) => ({
  error: expect.objectContaining({
    name: 'PalitraError',
    code: 'ERR_PALITRA_UNAVAILABLE',
    message: expect.stringMatching(message),
  }),
})

describe('packed packages installed with npm', () => {
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'palitra-packed-'))
    const core = await packInto(coreDir, path.join(root, 'pack-core'))
    const worker = await packInto(workerDir, path.join(root, 'pack-worker'))
    const channel = await packInto(channelDir, path.join(root, 'pack-channel'))
    // The worker backend's pools: @palitra/pool and tinypool.
    const pool = await packInto(poolDir, path.join(root, 'pack-pool'))
    const tinypool = await packDependency('tinypool', poolDir, path.join(root, 'pack-tinypool'))
    const backend = [core, channel, pool, tinypool, worker]
    cpSync(path.join(fixtures, 'lib-cjs'), path.join(root, 'lib-cjs'), { recursive: true })
    app = await npmProject('app', backend)
    bare = await npmProject('bare', [core])
    // npm nests a second copy when the library's core range conflicts with the app's; with one
    // version to install, copy it where npm would put it.
    nested = await npmProject('nested', backend)
    cpSync(
      path.join(nested, 'node_modules', '@palitra', 'core'),
      path.join(nested, 'node_modules', 'lib-cjs', 'node_modules', '@palitra', 'core'),
      { recursive: true },
    )
    libTasks = path.join(app, 'node_modules', 'lib-cjs', 'tasks.mjs')
  }, 180_000)

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('installs flat: one copy of core, shared by the library and the backend', () => {
    const modules = path.join(app, 'node_modules')
    expect(existsSync(path.join(modules, '@palitra', 'core', 'dist', 'index.js'))).toBe(true)
    expect(existsSync(path.join(modules, 'lib-cjs', 'index.js'))).toBe(true)
    expect(existsSync(path.join(modules, 'lib-cjs', 'node_modules'))).toBe(false)
    expect(existsSync(path.join(modules, '@palitra', 'backend-worker', 'node_modules'))).toBe(false)
    const worker = JSON.parse(
      readFileSync(path.join(modules, '@palitra', 'backend-worker', 'package.json'), 'utf8'),
    )
    expect(worker.peerDependencies['@palitra/core']).not.toMatch(/^workspace:/)
    expect(existsSync(path.join(bare, 'node_modules', '@palitra', 'backend-worker'))).toBe(false)
  })

  it('an ESM app names the backend; the CommonJS library that depends on core only gets it', () => {
    // PALITRA_BACKEND=nope would fail resolution: the library must see the app's setDefaultBackend().
    const result = nodeJson(app, ['app.mjs', 'name'], { PALITRA_BACKEND: 'nope' })
    expect(result.format).toEqual({ ok: 'HELLO' })
    expect(result.libBackend).toBe('worker')
    // One registry, one default per process, whichever module format loaded core.
    expect(result.sameCoreModule).toBe(true)
    expect(result.sameErrorClass).toBe(true)
    expect(result.sameRunner).toBe(true)
    expect(result.counts).toEqual([1, 2, 3])
    const [fromLib, fromApp] = result.where
    expect(fromLib).toEqual(fromApp)
    expect(fromLib.pid).toBe(result.mainThreadPid)
    expect(fromLib.threadId).not.toBe(0)
  })

  it('a pooled worker runner works from the installed packages (tinypool, relay and hosts found)', () => {
    expect(nodeJson(app, ['pool.mjs'])).toEqual({
      parallel: true,
      mapped: { ok: ['A', 'B', 'C'] },
      threads: { ok: 2 },
    })
  })

  it('a second copy of core under the library shares the registry and the default', () => {
    const result = nodeJson(nested, ['app.mjs', 'name'], { PALITRA_BACKEND: 'nope' })
    expect(result.sameCoreModule, 'the library loaded its own copy of core').toBe(false)
    expect(result.format).toEqual({ ok: 'HELLO' })
    expect(result.libBackend).toBe('worker')
    expect(result.sameRunner).toBe(true)
    expect(result.counts).toEqual([1, 2, 3])
  })

  it('a backend object given to setDefaultBackend() in ESM reaches the CommonJS library', () => {
    const result = nodeJson(app, ['app.mjs', 'object'])
    expect(result.format).toEqual({ ok: 'HELLO' })
    expect(result.libBackend).toBe('chosen-by-app')
    expect(result.sameRunner).toBe(true)
    expect(result.counts).toEqual([1, 2, 3])
  })

  it('a CommonJS app require()s the ESM packages, without a warning', () => {
    const result = nodeJson(app, ['app.cjs'])
    expect(result).toEqual({
      own: 'OWN',
      ownBackend: 'worker',
      format: 'CJS',
      libBackend: 'worker',
      sameRunner: true,
      counts: [1, 2],
      warnings: [],
    })
  })

  it('without setDefaultBackend(): PALITRA_BACKEND, else the first installed backend', () => {
    for (const env of [{ PALITRA_BACKEND: 'worker' }, {}] as Record<string, string>[]) {
      const result = nodeJson(app, ['app-env.mjs'], env)
      expect(result.format, JSON.stringify(env)).toEqual({ ok: 'ENV' })
      expect(result.libBackend, JSON.stringify(env)).toEqual({ ok: 'worker' })
    }
  })

  it('an unknown backend name is ERR_PALITRA_UNAVAILABLE', () => {
    const result = nodeJson(app, ['app-env.mjs'], { PALITRA_BACKEND: 'nope' })
    expect(result.format).toEqual(unavailable(/unknown backend "nope".*PALITRA_BACKEND/))
    expect(result.unknownOption).toEqual(unavailable(/unknown backend "nope".*options\.backend/))
  })

  it('with no backend installed: ERR_PALITRA_UNAVAILABLE, saying to install one', () => {
    const result = nodeJson(bare, ['no-backend.mjs'])
    const install = /install one, e\.g\. npm i @palitra\/backend-worker/
    expect(result.library).toEqual(unavailable(install))
    expect(result.createRunner).toEqual(unavailable(install))
    expect(result.byName).toEqual(unavailable(/@palitra\/backend-worker is not installed/))
    expect(result.setDefaultBackend).toEqual(
      unavailable(/@palitra\/backend-worker is not installed/),
    )
  })

  it('exits on its own after calls without close(), and runs teardown on exit', () => {
    const mark = path.join(root, 'teardown.txt')
    rmSync(mark, { force: true })
    nodeJson(app, ['app.mjs'], { PALITRA_TEST_TEARDOWN_MARK: mark }, 10_000)
    expect(readFileSync(mark, 'utf8')).toBe('teardown after 3 count calls\n')
  })

  it('node --input-type=module -e: the worker starts despite the inherited flag', () => {
    const code = [
      `import { getRunner } from '@palitra/core'`,
      `const runner = getRunner(${JSON.stringify(libTasks)})`,
      `console.log(JSON.stringify({ format: runner.call('format', 'eval'), backend: runner.backend.name }))`,
    ].join('\n')
    const result = nodeJson(app, ['--input-type=module', '-e', code])
    expect(result).toEqual({ format: 'EVAL', backend: 'worker' })
  })

  it('node -e with require(): CommonJS eval code gets the installed backend', () => {
    const code = [
      `const { syncFn } = require('@palitra/core')`,
      `const format = syncFn(${JSON.stringify(libTasks)}, 'format')`,
      `console.log(JSON.stringify({ format: format('eval') }))`,
    ].join('\n')
    expect(nodeJson(app, ['-e', code])).toEqual({ format: 'EVAL' })
  })
})
