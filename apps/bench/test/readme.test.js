// The root README's benchmark table is written from results/latest.json: they must agree.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { endMarker, renderReadmeTable, startMarker, withReadmeTable } from '../src/readme.js'

const readmePath = new URL('../../../README.md', import.meta.url)
const latestPath = new URL('../results/latest.json', import.meta.url)

const report = {
  schemaVersion: 2,
  node: 'v20.0.0',
  machine: { cpu: 'Some CPU', cores: 2, memoryGb: 8, os: 'Linux x64' },
  date: '2026-12-01T10:00:00.000Z',
  quick: false,
  rounds: 7,
  workloads: [
    { name: 'tight-loop', unit: 'µs/call', figure: 'usPerCall' },
    { name: 'buffer-1m', unit: 'µs/call', figure: 'usPerCall' },
    { name: 'startup', unit: 'ms to first result', figure: 'coldMs' },
    { name: 'io-batch', unit: 'ms/batch', figure: 'msPerBatch' },
  ],
  results: [
    {
      workload: 'tight-loop',
      subject: 'worker',
      figure: 'usPerCall',
      usPerCall: 1.5,
      floorRatio: 5,
    },
    {
      workload: 'tight-loop',
      subject: 'floor-thread',
      figure: 'usPerCall',
      usPerCall: 0.3,
      floorRatio: 1,
    },
    { workload: 'tight-loop', subject: 'deasync', figure: 'usPerCall', usPerCall: 0.2 },
    {
      workload: 'buffer-1m',
      subject: 'worker',
      figure: 'usPerCall',
      usPerCall: 3000,
      mbPerSec: 699,
      floorRatio: 2,
    },
    {
      workload: 'buffer-1m',
      subject: 'deasync',
      figure: 'usPerCall',
      usPerCall: 3,
      mbPerSec: 699_050,
    },
    { workload: 'startup', subject: 'worker', figure: 'coldMs', coldMs: 80.4 },
    {
      workload: 'io-batch',
      subject: 'worker',
      figure: 'msPerBatch',
      msPerBatch: null,
      status: 'failed',
    },
    {
      workload: 'io-batch',
      subject: 'sync-rpc',
      figure: 'msPerBatch',
      msPerBatch: null,
      status: 'skipped',
    },
    {
      workload: 'tight-loop',
      subject: 'everysync',
      figure: 'usPerCall',
      usPerCall: null,
      status: 'unavailable',
    },
  ],
}

test('the table: a row per subject in table order, each figure in its unit with its floor ratio', () => {
  const lines = renderReadmeTable(report).split('\n')
  assert.match(
    lines[0],
    /^From one run \(7 rounds\) on Some CPU, 2 cores, 8 GB \(Linux x64\), Node v20\.0\.0, 2026-12-01/,
  )
  const table = lines.filter((line) => line.startsWith('|'))
  assert.deepEqual(table, [
    '| subject | tight-loop (µs) | buffer-1m (MB/s) | startup (ms) | io-batch (ms) |',
    '| --- | ---:| ---:| ---:| ---:|',
    '| **palitra worker** | 1.50 (×5.00) | 699 (×2.00) | 80.4 | fails |',
    '| **palitra deasync** | 0.20 | not copied | — | — |',
    '| floor-thread | 0.30 (×1.00) | — | — | — |',
    '| everysync | n/a | — | — | — |',
    '| sync-rpc | — | — | — | skipped |',
  ])
})

test('the table goes between the markers, and nowhere without them', () => {
  const readme = `# x\n\nbefore\n${startMarker}\nold table\n${endMarker}\nafter\n`
  const written = withReadmeTable(readme, report)
  assert.ok(written.startsWith(`# x\n\nbefore\n${startMarker}\nFrom one run`))
  assert.ok(written.endsWith(`|\n${endMarker}\nafter\n`))
  assert.ok(!written.includes('old table'))
  assert.equal(withReadmeTable(written, report), written, 'writing twice changes nothing')
  assert.throws(() => withReadmeTable('# no markers\n', report), /no ".*" … ".*" block/)
})

test('the root README agrees with the committed results/latest.json (else: pnpm bench --readme-only)', () => {
  const readme = readFileSync(readmePath, 'utf8')
  const latest = JSON.parse(readFileSync(latestPath, 'utf8'))
  assert.equal(latest.schemaVersion, 2, 'results/latest.json is in the current schema')
  assert.equal(withReadmeTable(readme, latest), readme)
})
