#!/usr/bin/env node
/**
 * The runtime × backend matrix: the conformance suite against the PACKED packages, installed with
 * npm into a plain project as users get them, on every Node major we support, Bun and Deno (all
 * from the npm registry). On each runtime a backend either passes the whole suite under that
 * runtime's own test runner, or is refused by its unavailableReason() with ERR_PALITRA_UNAVAILABLE
 * and a one-line reason, and auto-resolution skips it. Every cell must be what `expected` says:
 * a backend that stops working somewhere, or starts working, fails the run until this table and
 * the README's are updated together.
 *
 *   node scripts/runtime-matrix.mjs [--only node22,bun] [--runtimes DIR] [--keep]
 *
 * --runtimes: a directory where the runtimes are already npm-installed under the package names
 * below (`node22@npm:node@22`, `bun@1`, ...), as .ci/run does once for all its tests.
 * Needs the packages built (`pnpm build`) and the npm registry. Exits non-zero on any failure.
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = fileURLToPath(new URL('..', import.meta.url))
const harness = fileURLToPath(new URL('./runtime-matrix/', import.meta.url))
const backends = ['worker', 'subprocess', 'deasync']

/**
 * What the matrix must show: `pass`; `{ refused }`, what the reason must say; or `{ known }`: the
 * suite passes but for the tests named there, which must fail (each with why). A new failure
 * and a fixed known one both fail the run.
 */
const neverSettles =
  'a call whose promise can never settle is ERR_PALITRA_DEADLOCK at once (skipped in-process: the caller keeps the loop alive; skipped for pools: the pool keeps each host loop alive)'
const expected = {
  node20: { worker: 'pass', subprocess: 'pass', deasync: 'pass' },
  node22: { worker: 'pass', subprocess: 'pass', deasync: 'pass' },
  node24: { worker: 'pass', subprocess: 'pass', deasync: 'pass' },
  node26: { worker: 'pass', subprocess: 'pass', deasync: 'pass' },
  bun: { worker: 'pass', subprocess: 'pass', deasync: { refused: /Bun/ } },
  deno: {
    worker: {
      known: {
        [neverSettles]:
          "a call whose promise can never settle is ERR_PALITRA_CRASHED at once, not DEADLOCK: Deno ends a worker whose event loop is empty, and emits no 'beforeExit' in workers",
      },
    },
    subprocess: {
      known: {
        [neverSettles]:
          "a call whose promise can never settle ends at its timeout, not with DEADLOCK at once: a Deno child emits no 'beforeExit'",
      },
    },
    deasync: { refused: /Deno/ },
  },
}

/** Each runtime: its npm package, how to run a script, how to run the suite (writing JUnit). */
const runtimes = {
  node20: node('20'),
  node22: node('22'),
  node24: node('24'),
  node26: node('26'),
  bun: {
    pkg: 'bun@1',
    bin: (dir) => path.join(dir, 'node_modules', '.bin', 'bun'),
    script: (bin, file) => [bin, [file]],
    suite: (bin, junit) => [
      bin,
      [
        'test',
        './bun.test.mjs',
        '--timeout',
        '60000',
        '--reporter=junit',
        `--reporter-outfile=${junit}`,
      ],
    ],
  },
  deno: {
    pkg: 'deno@2',
    bin: (dir) => path.join(dir, 'node_modules', '.bin', 'deno'),
    script: (bin, file) => [bin, ['run', '--allow-all', '--no-prompt', file]],
    suite: (bin, junit) => [
      bin,
      [
        'test',
        '--allow-all',
        '--no-prompt',
        '--no-check',
        `--junit-path=${junit}`,
        './deno.test.mjs',
      ],
    ],
  },
}

function node(major) {
  return {
    pkg: `node${major}@npm:node@${major}`,
    bin: (dir) => path.join(dir, 'node_modules', `node${major}`, 'bin', 'node'),
    script: (bin, file) => [bin, [file]],
    // vitest's forks run on process.execPath: the runtime under test.
    suite: (bin, junit) => [
      bin,
      [
        path.join('node_modules', 'vitest', 'vitest.mjs'),
        'run',
        'vitest.test.mjs',
        '--testTimeout=60000',
        '--reporter=default',
        '--reporter=junit',
        `--outputFile.junit=${junit}`,
      ],
    ],
  }
}

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    runtimes: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const chosen = flags.only ? flags.only.split(',') : Object.keys(runtimes)
for (const name of chosen) {
  if (!runtimes[name])
    throw new Error(`--only: unknown runtime ${name}; known: ${Object.keys(runtimes)}`)
}

/** The environment of every child, without what the workspace leaks in (see packed-install.test.ts). */
function childEnv(extra = {}) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|NODE_PATH$|NODE_OPTIONS$|PALITRA_|BUN_|DENO_)/i.test(key)) continue
    env[key] = value
  }
  return {
    ...env,
    npm_config_update_notifier: 'false',
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    ...extra,
  }
}

function sh(command, args, cwd) {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/** Run a child with a deadline; never throws. */
function run(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(command, args, {
      cwd,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => (output += `\n${error.stack}`))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, timedOut, output, seconds: (performance.now() - started) / 1000 })
    })
  })
}

function publishedPackages() {
  return readdirSync(path.join(repo, 'packages'))
    .map((dir) => path.join(repo, 'packages', dir))
    .filter((dir) => {
      const manifest = path.join(dir, 'package.json')
      return existsSync(manifest) && !JSON.parse(readFileSync(manifest, 'utf8')).private
    })
}

function pack(packageDir, destination) {
  if (!existsSync(path.join(packageDir, 'dist'))) {
    throw new Error(`${packageDir}/dist is missing: build first (pnpm build)`)
  }
  const before = new Set(readdirSync(destination))
  // pnpm pack rewrites workspace: and catalog: ranges into what npm understands.
  sh('pnpm', ['pack', '--pack-destination', destination], packageDir)
  const added = readdirSync(destination).filter((name) => !before.has(name))
  if (added.length !== 1) throw new Error(`packing ${packageDir} gave ${added}`)
  return path.join(destination, added[0])
}

/** Test counts from a JUnit report; null when there is none (the runner died first). */
function junitCounts(file) {
  if (!existsSync(file)) return null
  const xml = readFileSync(file, 'utf8')
  const all = xml.match(/<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g) ?? []
  // Deno reports each describe() as a test case too ("a > b" holds "a > b > c"): count leaves.
  const names = all.map((testcase) => /\bname="([^"]*)"/.exec(testcase)?.[1] ?? '')
  const cases = all.filter((_, i) => !names.some((name) => name.startsWith(`${names[i]} &gt; `)))
  const failedNames = []
  let skipped = 0
  for (const testcase of cases) {
    const name = unescapeXml(/\bname="([^"]*)"/.exec(testcase)?.[1] ?? '')
    if (/<(failure|error)\b/.test(testcase)) failedNames.push(name)
    else if (/<skipped\b/.test(testcase)) skipped++
  }
  const failed = failedNames.length
  return {
    total: cases.length,
    failed,
    failedNames,
    skipped,
    passed: cases.length - failed - skipped,
  }
}

function unescapeXml(text) {
  const entities = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity) => entities[entity])
}

/** Judge one suite run against the expected cell; returns the cell and what is wrong. */
function judgeSuite(want, result, counts) {
  const known = want.known ?? {}
  // Reported as "suite > group > test" (or without the suite's name): match on the test's own.
  const matches = (reported, name) => reported === name || reported.endsWith(` > ${name}`)
  const failedNames = counts?.failedNames ?? []
  const unexpected = failedNames.filter((reported) =>
    Object.keys(known).every((name) => !matches(reported, name)),
  )
  const stillFailing = Object.keys(known).filter((name) =>
    failedNames.some((reported) => matches(reported, name)),
  )
  const problems = Object.keys(known)
    .filter((name) => !stillFailing.includes(name))
    .map((name) => `"${name}" passes now: take it off the known failures, here and in the README`)
  // The runner's exit code must agree with its report: 0 exactly when nothing failed.
  const consistent = counts !== null && (result.code === 0) === (counts.failed === 0)
  if (result.timedOut || !consistent || counts.passed === 0 || unexpected.length > 0) {
    problems.push(
      `the suite failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}${result.timedOut ? ', timed out' : ''}; ${counts ? `failed: ${unexpected.join('; ') || 'none reported'}` : 'no report'})`,
    )
  }
  return {
    cell: {
      state: problems.length === 0 ? 'passed' : 'failed',
      counts,
      known: stillFailing.map((name) => known[name]),
    },
    problems,
  }
}

function judgeProbe(runtimeName, probe) {
  const problems = []
  const cells = {}
  for (const backend of backends) {
    const want = expected[runtimeName][backend]
    const seen = probe.backends[backend]
    if (seen.importError) {
      problems.push(`${backend}: importing the package threw: ${seen.importError}`)
      cells[backend] = { state: 'broken' }
      continue
    }
    if (seen.reason === null) {
      cells[backend] = { state: 'available' }
      if (want.refused)
        problems.push(`${backend}: expected refused, but unavailableReason() is undefined`)
      continue
    }
    cells[backend] = { state: 'refused', reason: seen.reason }
    if (typeof seen.reason !== 'string' || seen.reason === '' || seen.reason.includes('\n')) {
      problems.push(
        `${backend}: unavailableReason() must be one line, got ${JSON.stringify(seen.reason)}`,
      )
    }
    for (const [how, attempt] of [
      ['by object', seen.byObject],
      ['by name', seen.byName],
    ]) {
      if (attempt.code !== 'ERR_PALITRA_UNAVAILABLE') {
        problems.push(`${backend}: createRunner() ${how} gave ${attempt.code}: ${attempt.message}`)
      }
    }
    if (!want.refused) problems.push(`${backend}: expected to pass, but refused: ${seen.reason}`)
    else if (!want.refused.test(seen.reason)) {
      problems.push(`${backend}: the reason should match ${want.refused}: ${seen.reason}`)
    }
  }
  const firstAvailable = backends.find((backend) => cells[backend].state === 'available')
  const auto = probe.auto
  if (firstAvailable === undefined) {
    if (auto.code !== 'ERR_PALITRA_UNAVAILABLE')
      problems.push(`auto-resolution: ${JSON.stringify(auto)}`)
  } else if (auto.backend !== firstAvailable || JSON.stringify(auto.calls) !== '[1,2]') {
    problems.push(`auto-resolution should pick ${firstAvailable} and work: ${JSON.stringify(auto)}`)
  }
  return { cells, problems }
}

async function main() {
  const started = performance.now()
  const root = mkdtempSync(path.join(tmpdir(), 'palitra-matrix-'))
  const step = (what) =>
    console.log(`[matrix ${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`)
  try {
    step('packing the packages')
    const packs = path.join(root, 'packs')
    mkdirSync(packs)
    const tarballs = publishedPackages().map((dir) => pack(dir, packs))

    const runtimeDir = flags.runtimes ? path.resolve(flags.runtimes) : path.join(root, 'runtimes')
    if (!flags.runtimes) {
      step(`installing ${chosen.join(', ')} from npm`)
      mkdirSync(runtimeDir)
      writeFileSync(path.join(runtimeDir, 'package.json'), '{"private":true}\n')
      sh(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...chosen.map((name) => runtimes[name].pkg),
        ],
        runtimeDir,
      )
    }
    for (const name of chosen) {
      const bin = runtimes[name].bin(runtimeDir)
      if (!existsSync(bin))
        throw new Error(`${name}: ${bin} is missing (npm install ${runtimes[name].pkg})`)
    }

    step('installing the packed packages into a plain project')
    const app = path.join(root, 'app')
    cpSync(harness, app, { recursive: true })
    writeFileSync(
      path.join(app, 'package.json'),
      '{"name":"palitra-matrix-app","private":true,"type":"module"}\n',
    )
    const vitest = JSON.parse(
      readFileSync(path.join(repo, 'node_modules', 'vitest', 'package.json'), 'utf8'),
    ).version
    // Beside the packages: the workspace's own vitest for Node, jest's expect for Deno.
    sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...tarballs,
        `vitest@${vitest}`,
        'expect@30.5.2',
      ],
      app,
    )

    const rows = []
    let failed = false
    for (const runtimeName of chosen) {
      const runtime = runtimes[runtimeName]
      const bin = runtime.bin(runtimeDir)
      step(`${runtimeName}: probing the backends`)
      const [probeCommand, probeArgs] = runtime.script(bin, 'probe.mjs')
      const probeRun = await run(probeCommand, probeArgs, { cwd: app, timeoutMs: 120_000 })
      let probe
      try {
        probe = JSON.parse(probeRun.output.trim().split('\n').at(-1))
      } catch {
        console.log(probeRun.output)
        rows.push({
          runtime: runtimeName,
          version: '?',
          cells: {},
          problems: [`the probe failed (exit ${probeRun.code})`],
        })
        failed = true
        continue
      }
      const { cells, problems } = judgeProbe(runtimeName, probe)
      for (const backend of backends) {
        if (cells[backend].state !== 'available') continue
        step(`${runtimeName}: the conformance suite on ${backend}`)
        const junit = path.join(root, `${runtimeName}-${backend}.xml`)
        const [command, args] = runtime.suite(bin, junit)
        const result = await run(command, args, {
          cwd: app,
          env: { PALITRA_MATRIX_BACKEND: backend },
          timeoutMs: 600_000,
        })
        const counts = junitCounts(junit)
        const judged = judgeSuite(expected[runtimeName][backend], result, counts)
        cells[backend] = { ...judged.cell, seconds: result.seconds }
        if (judged.problems.length > 0) {
          console.log(result.output)
          problems.push(...judged.problems.map((problem) => `${backend}: ${problem}`))
        }
      }
      if (problems.length > 0) failed = true
      rows.push({ runtime: runtimeName, version: probe.runtime.version, cells, problems })
    }

    const minutes = ((performance.now() - started) / 60_000).toFixed(1)
    console.log(`\nruntime × backend (the packed packages; conformance suite; ${minutes} min)\n`)
    console.log(table(rows))
    for (const row of rows)
      for (const problem of row.problems) console.log(`FAIL ${row.runtime}: ${problem}`)
    if (failed) process.exitCode = 1
    else console.log('\nevery cell is as expected')
  } finally {
    if (flags.keep) console.log(`kept ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}

function describeCell(cell) {
  if (!cell) return 'not run'
  if (cell.state === 'passed') {
    const { passed, skipped } = cell.counts
    const known = cell.known.map((why) => `; fails 1: ${why}`).join('')
    return `passes (${passed} tests${skipped ? `, ${skipped} skipped by capability` : ''}${known})`
  }
  if (cell.state === 'refused') return `refused: ${cell.reason}`
  if (cell.state === 'failed')
    return `FAILS${cell.counts ? ` (${cell.counts.failed} of ${cell.counts.total})` : ''}`
  return cell.state.toUpperCase()
}

function table(rows) {
  const lines = [
    ['runtime', ...backends],
    ['---', ...backends.map(() => '---')],
  ]
  for (const row of rows) {
    lines.push([
      `${row.runtime.replace(/\d+$/, '')} ${row.version}`,
      ...backends.map((b) => describeCell(row.cells[b])),
    ])
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

await main()
