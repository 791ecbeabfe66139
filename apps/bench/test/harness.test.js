// Tests of the harness itself. Timings are never asserted: only shapes, counts and schema.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { budgets, parseArgs } from '../src/args.js'
import { rotate } from '../src/run-workload.js'
import { median, spreadPercent } from '../src/stats.js'
import { subjectNames } from '../src/subjects/index.js'
import { summarize } from '../src/summarize.js'
import { renderSvg } from '../src/svg.js'
import { renderTable } from '../src/table.js'
import { findWorkload, timedCalls, workloadNames } from '../src/workloads.js'

const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))
const tightLoop = findWorkload('tight-loop')

/** @param {number[]} perCall */
const ok = (perCall) => ({
  status: /** @type {const} */ ('ok'),
  samples: perCall.map((usPerCall) => ({ usPerCall, calls: 100 })),
})

const rows = summarize(tightLoop, [
  ['worker', ok([2, 1, 3])],
  ['synckit', ok([50, 48, 52])],
  ['deasync', { status: 'unavailable', reason: 'not installed', samples: [] }],
  ['sync-rpc', ok([150_000, 140_000, 160_000])],
  [
    'make-synchronous',
    { status: 'timeout', reason: 'no answer within 30 s (killed)', samples: [] },
  ],
])

test('parses subjects, workloads, quick, rounds, json and timeout', () => {
  const options = parseArgs(['--subject', 'synckit,worker', '--workload=tight-loop', '--quick'])
  assert.deepEqual(options.subjects, ['worker', 'synckit'], 'table order, not argument order')
  assert.deepEqual(options.workloads, ['tight-loop'])
  assert.equal(options.quick, true)
  assert.equal(options.rounds, 2)
  const full = parseArgs(['--rounds', '7', '--json', 'out/x.json', '--timeout', '5'])
  assert.equal(full.rounds, 7)
  assert.equal(full.json, 'out/x.json')
  assert.equal(full.timeoutMs, 5000)
  assert.deepEqual(full.subjects, subjectNames)
  assert.deepEqual(full.workloads, workloadNames)
  assert.equal(parseArgs([]).rounds, 5)
  assert.equal(parseArgs(['--help']).help, true)
  assert.ok(budgets(options).round.budgetMs < budgets(full).round.budgetMs)
})

test('refuses unknown names, bad numbers and missing values', () => {
  assert.throws(() => parseArgs(['--subject', 'nope']), /unknown subject "nope"/)
  assert.throws(() => parseArgs(['--workload', 'tight-loop,x']), /unknown workload "x"/)
  assert.throws(() => parseArgs(['--rounds', '0']), /whole number >= 1/)
  assert.throws(() => parseArgs(['--rounds', '2.5']), /whole number/)
  assert.throws(() => parseArgs(['--json']), /needs a value/)
  assert.throws(() => parseArgs(['--subject', '--quick']), /needs a value/)
  assert.throws(() => parseArgs(['--frobnicate']), /unknown option/)
})

test('median and spread', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.equal(median([7]), 7)
  assert.throws(() => median([]))
  assert.equal(spreadPercent([9, 10, 11]), 10)
  assert.equal(spreadPercent([90, 100, 130]), 20)
  assert.equal(spreadPercent([5]), 0)
})

test('rounds rotate who goes first', () => {
  assert.deepEqual(rotate(['a', 'b', 'c'], 0), ['a', 'b', 'c'])
  assert.deepEqual(rotate(['a', 'b', 'c'], 1), ['b', 'c', 'a'])
  assert.deepEqual(rotate(['a', 'b', 'c'], 5), ['c', 'a', 'b'])
  assert.deepEqual(rotate([], 3), [])
})

test('a round calls until its budget is spent, never fewer than minCalls', () => {
  let made = 0
  const slow = timedCalls(
    () => {
      made++
      const until = performance.now() + 3
      while (performance.now() < until) {}
    },
    { budgetMs: 1, warmupMs: 0, minCalls: 3, maxCalls: 1000, quick: true },
  )
  assert.equal(slow.calls, 3)
  assert.equal(made, 3)
  const capped = timedCalls(() => {}, {
    budgetMs: 10_000,
    warmupMs: 0,
    minCalls: 1,
    maxCalls: 50,
    quick: true,
  })
  assert.equal(capped.calls, 50)
  assert.ok(capped.usPerCall >= 0)
})

test('summaries: medians, spread, ratio to the fastest, and a reason for every missing figure', () => {
  const worker = rows.find((row) => row.subject === 'worker')
  assert.equal(worker?.usPerCall, 2)
  assert.equal(worker?.ratio, 1)
  assert.equal(worker?.spreadPct, 50)
  assert.deepEqual([worker?.minUs, worker?.maxUs, worker?.rounds], [1, 3, 3])
  assert.equal(rows.find((row) => row.subject === 'synckit')?.ratio, 25)
  const missing = rows.filter((row) => row.usPerCall === null)
  assert.deepEqual(
    missing.map((row) => [row.subject, row.status]),
    [
      ['deasync', 'unavailable'],
      ['make-synchronous', 'timeout'],
    ],
  )
  assert.ok(missing.every((row) => typeof row.unavailable === 'string'))
  const [buffer] = summarize(findWorkload('buffer-1m'), [['worker', ok([2 ** 21])]])
  assert.equal(buffer.mbPerSec, 1, '2 MiB in 2 MiB µs is 1 MB/s')
})

test('the SVG is well-formed XML with one bar per measured subject and a log axis', () => {
  const svg = renderSvg(tightLoop, rows, {
    subtitle: 'Node v20 · Some CPU, 2 cores, 8 GB',
    isPalitra: (subject) => subject === 'worker',
  })
  assert.match(svg, /^<\?xml[^>]*\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.equal(svg.match(/<rect class="bar"/g)?.length, 3)
  assert.equal(svg.match(/class="missing"/g)?.length, 2)
  assert.match(svg, /log scale/)
  assert.match(svg, /tight-loop/)
  assert.match(svg, /Some CPU/)
  assert.match(svg, /not installed/)
  assertWellFormed(svg)
  const linear = renderSvg(tightLoop, rows.slice(0, 2), { subtitle: '', isPalitra: () => false })
  assert.match(linear, /linear scale/)
  assertWellFormed(linear)
})

test('the table lists the fastest first and says why a subject has no figure', () => {
  const table = renderTable(rows, {
    header: 'header',
    workloads: [tightLoop],
    inProcess: new Set(),
  })
  const at = (/** @type {string} */ name) =>
    table.split('\n').findIndex((line) => line.trimStart().startsWith(name))
  assert.ok(at('worker') < at('synckit') && at('synckit') < at('sync-rpc'))
  assert.ok(at('sync-rpc') < at('deasync'))
  assert.match(table, /deasync\s+n\/a\s+unavailable: not installed/)
  assert.match(table, /make-synchronous\s+n\/a\s+timeout: no answer/)
})

test('--help prints the flags; a bad flag exits 2', () => {
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
  assert.equal(help.status, 0)
  for (const flag of ['--subject', '--workload', '--quick', '--rounds', '--json'])
    assert.ok(help.stdout.includes(flag), flag)
  const bad = spawnSync(process.execPath, [cli, '--nope'], { encoding: 'utf8' })
  assert.equal(bad.status, 2)
})

test('a quick synckit run writes the JSON schema, the table and a chart', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'palitra-bench-'))
  try {
    const json = path.join(dir, 'out.json')
    const args = ['--quick', '--subject', 'synckit', '--workload', 'tight-loop', '--json', json]
    const result = spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /tight-loop/)
    assert.match(result.stdout, /synckit/)
    const written = JSON.parse(readFileSync(json, 'utf8'))
    assert.equal(written.node, process.version)
    assert.equal(typeof written.machine.cpu, 'string')
    assert.ok(written.machine.cores >= 1)
    assert.ok(written.machine.memoryGb >= 0)
    assert.equal(written.results.length, 1)
    const [row] = written.results
    assert.equal(row.workload, 'tight-loop')
    assert.equal(row.subject, 'synckit')
    if (row.usPerCall === null) {
      assert.equal(typeof row.unavailable, 'string')
    } else {
      assert.equal(typeof row.usPerCall, 'number')
      assert.equal(row.rounds, 2)
      assert.ok(row.calls >= 1)
      assert.equal(typeof row.spreadPct, 'number')
    }
    assert.ok(existsSync(path.join(dir, 'tight-loop.svg')))
    assertWellFormed(readFileSync(path.join(dir, 'tight-loop.svg'), 'utf8'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

/**
 * A small XML well-formedness check (no parser in Node's standard library): every tag is closed
 * in order, attributes are quoted, and `&` only starts an entity.
 * @param {string} xml
 */
function assertWellFormed(xml) {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '')
  assert.doesNotMatch(body, /&(?!(amp|lt|gt|quot|#39);)/, 'bare &')
  /** @type {string[]} */
  const stack = []
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|</g
  let match
  let last = 0
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual exec loop
  while ((match = tag.exec(body)) !== null) {
    assert.ok(
      match[2],
      `a stray < or a malformed tag at ${match.index}: ${body.slice(match.index, match.index + 60)}`,
    )
    assert.doesNotMatch(body.slice(last, match.index), />/, 'a stray >')
    last = tag.lastIndex
    if (match[4]) continue
    if (match[1]) assert.equal(stack.pop(), match[2], `</${match[2]}> closes the wrong tag`)
    else stack.push(match[2])
  }
  assert.deepEqual(stack, [], 'unclosed tags')
}
