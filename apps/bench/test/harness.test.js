import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseArgs } from '../src/args.js'
import { median, spreadPercent } from '../src/stats.js'
import { renderSvg } from '../src/svg.js'
import { renderTable } from '../src/table.js'

const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))
const rows = [
  {
    workload: 'tight-loop',
    subject: 'worker',
    unit: 'µs/call',
    usPerCall: 1.5,
    ratio: 1,
    spreadPercent: 3,
  },
  {
    workload: 'tight-loop',
    subject: 'synckit',
    unit: 'µs/call',
    usPerCall: 48,
    ratio: 32,
    spreadPercent: 5,
  },
  {
    workload: 'tight-loop',
    subject: 'sync-rpc',
    unit: 'µs/call',
    usPerCall: 150_000,
    ratio: 100_000,
    spreadPercent: 2,
  },
  {
    workload: 'tight-loop',
    subject: 'deasync',
    unit: 'µs/call',
    usPerCall: null,
    unavailable: 'not installed',
  },
]

test('parses subsets, quick and rounds, and refuses unknown names', () => {
  const options = parseArgs(['--subject', 'worker,synckit', '--workload=tight-loop', '--quick'])
  assert.deepEqual(options.subjects, ['worker', 'synckit'])
  assert.deepEqual(options.workloads, ['tight-loop'])
  assert.equal(options.rounds, 2)
  assert.equal(parseArgs(['--rounds', '7']).rounds, 7)
  assert.throws(() => parseArgs(['--subject', 'nope']), /unknown subject "nope"/)
  assert.throws(() => parseArgs(['--rounds', '0']), /whole number/)
  assert.throws(() => parseArgs(['--frobnicate']), /unknown flag/)
})

test('median and spread', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.equal(spreadPercent([9, 10, 11]), 10)
  assert.equal(spreadPercent([5]), 0)
})

test('draws one bar per measured subject, on a log scale when figures span decades', () => {
  const svg = renderSvg({ about: 'an async n => n + 1' }, rows, {
    title: 'tight-loop',
    subtitle: 'Node',
  })
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.equal(svg.match(/class="bar"/g).length, 3)
  assert.match(svg, /log scale/)
  assert.match(svg, /not measured: not installed/)
  assert.equal(svg.match(/<text/g).length, svg.match(/<\/text>/g).length)
})

test('the table lists the fastest first and says why a subject was not measured', () => {
  const table = renderTable(rows, { header: 'header' })
  const lines = table.split('\n')
  assert.ok(
    lines.findIndex((line) => line.includes('worker')) <
      lines.findIndex((line) => line.includes('synckit')),
  )
  assert.match(table, /deasync\s+n\/a\s+not installed/)
})

test('a quick run writes results with the documented schema', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'palitra-bench-'))
  try {
    const json = path.join(dir, 'out.json')
    const result = spawnSync(
      process.execPath,
      [
        cli,
        '--quick',
        '--rounds',
        '1',
        '--subject',
        'worker,synckit',
        '--workload',
        'tight-loop',
        '--json',
        json,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    )
    assert.equal(result.status, 0, result.stderr)
    const written = JSON.parse(readFileSync(json, 'utf8'))
    assert.equal(written.node, process.version)
    assert.ok(written.machine.cores >= 1)
    for (const row of written.results) {
      assert.equal(row.workload, 'tight-loop')
      assert.ok(['worker', 'synckit'].includes(row.subject))
      assert.ok(row.usPerCall === null || row.usPerCall > 0)
    }
    assert.match(result.stdout, /tight-loop/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
