// Every sample the guides and recipes include is run here, as its page says to run it, and its
// output checked. (PostgreSQL's sample has its own file: it needs a server.)
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { docsDir, runNode, sampleOutput, samplesDir } from './run-sample.mjs'

const bin = (name) => path.join(docsDir, 'node_modules', name)

describe('getting started', () => {
  const cwd = path.join(samplesDir, 'getting-started')
  const expected = [
    'Hello, Ada (visit 1)',
    'Hello, Ada (visit 2)',
    '[ 3, 2, 1 ]',
    'ready',
    'closed',
  ]

  it('main.mjs: a runner, its state, an iterator, close', async () => {
    expect(await sampleOutput(['main.mjs'], { cwd })).toEqual(expected)
  })

  it('app.mjs: a library exposing syncFn, the application choosing the backend', async () => {
    expect(await sampleOutput(['app.mjs'], { cwd })).toEqual(['creme-brulee-twice'])
  })

  // CI sets PALITRA_TEST_NODES to the other Node versions it installed.
  const otherNodes = (process.env.PALITRA_TEST_NODES ?? '').split(':').filter(Boolean)
  it.each(otherNodes)('main.mjs on %s', async (node) => {
    expect(await sampleOutput(['main.mjs'], { cwd, node })).toEqual(expected)
  })
})

describe('choosing a backend', () => {
  const cwd = path.join(samplesDir, 'choosing-a-backend')

  it('which.mjs: auto-resolution picks the worker backend on Node', async () => {
    expect(await sampleOutput(['which.mjs'], { cwd, env: { PALITRA_BACKEND: '' } })).toEqual([
      `Node ${process.version}: worker backend, tasks in a worker thread`,
      'isolation: thread, closures: false',
    ])
  })

  it('which.mjs with PALITRA_BACKEND=subprocess', async () => {
    expect(
      await sampleOutput(['which.mjs'], { cwd, env: { PALITRA_BACKEND: 'subprocess' } }),
    ).toEqual([
      `Node ${process.version}: subprocess backend, tasks in a child process`,
      'isolation: process, closures: false',
    ])
  })
})

// What the page says about Bun and Deno, checked where a binary is given (npm i bun deno).
describe('choosing a backend on other runtimes', () => {
  const cwd = path.join(samplesDir, 'choosing-a-backend')
  const bun = process.env.PALITRA_TEST_BUN
  const deno = process.env.PALITRA_TEST_DENO
  const worker = 'worker backend, tasks in a worker thread'

  it.skipIf(!bun)(
    'Bun: the worker and subprocess backends work, deasync is unavailable (runs when PALITRA_TEST_BUN names a bun binary)',
    async () => {
      const run = (backend) =>
        sampleOutput(['which.mjs'], { cwd, node: bun, env: { PALITRA_BACKEND: backend } })
      expect((await run(''))[0]).toBe(`Bun: ${worker}`)
      expect((await run('subprocess'))[0]).toBe('Bun: subprocess backend, tasks in a child process')
      await expect(run('deasync')).rejects.toThrow(
        /backend "deasync" cannot run here: Bun .* has no libuv event loop/,
      )
    },
  )

  it.skipIf(!deno)(
    'Deno: the worker and subprocess backends work, deasync is unavailable (runs when PALITRA_TEST_DENO names a deno binary)',
    async () => {
      const run = (backend) =>
        sampleOutput(['run', '-A', 'which.mjs'], {
          cwd,
          node: deno,
          env: { PALITRA_BACKEND: backend },
        })
      expect((await run(''))[0]).toBe(`Deno: ${worker}`)
      expect((await run('subprocess'))[0]).toBe(
        'Deno: subprocess backend, tasks in a child process',
      )
      await expect(run('deasync')).rejects.toThrow(/backend "deasync" cannot run here: Deno has no/)
    },
  )
})

describe('troubleshooting', () => {
  it('errors.mjs raises every documented error code, and the runner keeps working', async () => {
    const cwd = path.join(samplesDir, 'troubleshooting')
    expect(await sampleOutput(['errors.mjs'], { cwd })).toEqual([
      'timeout: ERR_PALITRA_TIMEOUT',
      'crashed: ERR_PALITRA_CRASHED',
      'after the crash: pong',
      'not found: ERR_PALITRA_NOT_FOUND',
      'serialize: ERR_PALITRA_SERIALIZE',
      'deadlock: ERR_PALITRA_DEADLOCK',
      'startup: ERR_PALITRA_STARTUP, cause: DATABASE_URL is not set',
      'closed: ERR_PALITRA_CLOSED',
      'unavailable: ERR_PALITRA_UNAVAILABLE',
      'invalid argument: ERR_PALITRA_INVALID_ARGUMENT',
      'context: ERR_PALITRA_CONTEXT',
    ])
  })
})

describe('recipe: ESLint rule calling prettier', () => {
  const cwd = path.join(samplesDir, 'eslint-prettier')
  const eslint = bin('eslint/bin/eslint.js')

  it('reports the unformatted file and passes the formatted one', async () => {
    const result = await runNode([eslint, 'src'], { cwd })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('This file is not formatted with prettier')
    const json = await runNode([eslint, 'src', '--format', 'json'], { cwd })
    const problems = Object.fromEntries(
      JSON.parse(json.stdout).map((r) => [
        path.basename(r.filePath),
        r.messages.map((m) => m.ruleId),
      ]),
    )
    expect(problems).toEqual({ 'formatted.js': [], 'unformatted.js': ['formatting/prettier'] })
  })

  it('--fix gives prettier output with the project .prettierrc', async () => {
    const result = await runNode(
      [eslint, 'src/unformatted.js', '--fix-dry-run', '--format', 'json'],
      { cwd },
    )
    expect(result.code).toBe(0)
    const [report] = JSON.parse(result.stdout)
    expect(report.output).toBe("const greeting = 'hello'\nexport { greeting }\n")
  })
})

describe('recipe: Jest transformer calling PostCSS', () => {
  it('jest passes with the transformer, from a cold and then a warm cache', async () => {
    const cwd = path.join(samplesDir, 'jest-transformer')
    const cache = await mkdtemp(path.join(tmpdir(), 'palitra-docs-jest-'))
    try {
      for (const run of ['cold', 'warm']) {
        const result = await runNode([bin('jest/bin/jest.js'), '--ci', '--cacheDirectory', cache], {
          cwd,
        })
        expect(result.code, `${run} run:\n${result.stderr}`).toBe(0)
        expect(result.stderr).toContain('Tests:       1 passed, 1 total')
      }
    } finally {
      await rm(cache, { recursive: true, force: true })
    }
  })
})

describe('recipe: sync config loader', () => {
  const cwd = path.join(samplesDir, 'config-loader')

  it('cli.cjs reads a config with top-level await, synchronously', async () => {
    expect(await sampleOutput(['cli.cjs'], { cwd })).toEqual([
      'orders-service listens on 8080 (log level info)',
    ])
    expect(await sampleOutput(['cli.cjs'], { cwd, env: { PORT: '9000' } })).toEqual([
      'orders-service listens on 9000 (log level info)',
    ])
  })

  it('require() of that config fails, which is why the loader exists', async () => {
    const result = await runNode(['-e', "require('./app.config.mjs')"], { cwd })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('ERR_REQUIRE_ASYNC_MODULE')
  })
})

describe('migrating from synckit', () => {
  it('the synckit and palitra versions print the same', async () => {
    const cwd = path.join(samplesDir, 'migrate-synckit')
    const pkg = path.join(docsDir, 'package.json')
    const { name } = JSON.parse(await readFile(pkg, 'utf8'))
    expect(await sampleOutput(['before/main.mjs', pkg], { cwd })).toEqual([name])
    expect(await sampleOutput(['after/main.mjs', pkg], { cwd })).toEqual([name])
  })
})

describe('migrating from deasync', () => {
  const cwd = path.join(samplesDir, 'migrate-deasync')

  it('raw deasync and awaitSync print the same', async () => {
    const pkg = path.join(docsDir, 'package.json')
    const before = await sampleOutput(['before/main.cjs', pkg], { cwd })
    expect(before).toEqual(['@palitra/docs', '127.0.0.1'])
    expect(await sampleOutput(['after/main.cjs', pkg], { cwd })).toEqual(before)
  })

  it('runner.cjs on the deasync backend, then on the worker backend', async () => {
    expect(await sampleOutput(['after/runner.cjs'], { cwd })).toEqual([
      'deasync 127.0.0.1',
      'localhost is local',
    ])
    expect(
      await sampleOutput(['after/runner.cjs'], { cwd, env: { LOOKUP_BACKEND: 'worker' } }),
    ).toEqual(['worker 127.0.0.1'])
  })
})

describe('recipe: batches and pools', () => {
  it('batches-and-pools recipe: all, allSettled, map and a pool print what the page says', async () => {
    const cwd = path.join(samplesDir, 'batches-and-pools')
    expect(await sampleOutput(['main.mjs'], { cwd })).toEqual([
      'parallel hosts: true',
      '1.2 0.9 2.5',
      '1.2',
      'no price for durian',
      'true no price for durian',
      '4',
    ])
  })
})
