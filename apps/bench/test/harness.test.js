// Tests of the harness itself. Timings are never asserted: only shapes, counts and schema.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { budgets, parseArgs } from '../src/args.js'
import { roundOrder } from '../src/run-workload.js'
import { median, spreadPercent } from '../src/stats.js'
import { batchWorkloads, runsOn, subjectInfo, subjectNames } from '../src/subjects/index.js'
import { floorOf, summarize } from '../src/summarize.js'
import { renderSvg } from '../src/svg.js'
import { renderTable } from '../src/table.js'
import { findWorkload, workloadNames } from '../src/workloads.js'
import { assertWellFormed } from './xml.js'

const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))
const tightLoop = findWorkload('tight-loop')

/**
 * An outcome whose rounds had these mean µs per call (p50 a little under, p99 well over).
 * @param {number[]} perCall
 */
const ok = (perCall) => ({
  status: /** @type {const} */ ('ok'),
  samples: perCall.map((meanUs) => ({
    meanUs,
    p50Us: meanUs * 0.9,
    p99Us: meanUs * 3,
    calls: 100,
  })),
})

const rows = summarize(tightLoop, [
  ['worker', ok([2, 1, 3])],
  ['floor-thread', ok([0.5, 0.5, 0.5])],
  ['floor-thread-wait', ok([40, 40, 40])],
  ['floor-process', ok([20, 20, 20])],
  ['synckit', ok([50, 48, 52])],
  ['deasync', { status: 'unavailable', reason: 'not installed', samples: [] }],
  ['sync-rpc', ok([150_000, 140_000, 160_000])],
  [
    'make-synchronous',
    { status: 'timeout', reason: 'no answer within 30 s (killed)', samples: [] },
  ],
])
/** @param {string} subject */
const row = (subject) => rows.find((candidate) => candidate.subject === subject)

test('parses subjects, workloads, quick, rounds, json, readme, timeout and seed', () => {
  const options = parseArgs(['--subject', 'synckit,worker', '--workload=tight-loop', '--quick'])
  assert.deepEqual(options.subjects, ['worker', 'synckit'], 'table order, not argument order')
  assert.deepEqual(options.workloads, ['tight-loop'])
  assert.equal(options.quick, true)
  assert.equal(options.rounds, 3)
  const full = parseArgs(['--rounds', '9', '--json', 'out/x.json', '--timeout', '5', '--readme'])
  assert.equal(full.rounds, 9)
  assert.equal(full.json, 'out/x.json')
  assert.equal(full.timeoutMs, 5000)
  assert.equal(full.readme, true)
  assert.equal(full.readmeOnly, false)
  assert.deepEqual(full.subjects, subjectNames)
  assert.deepEqual(full.workloads, workloadNames)
  assert.equal(parseArgs([]).rounds, 7)
  assert.equal(parseArgs(['--readme-only']).readmeOnly, true)
  assert.equal(parseArgs(['--help']).help, true)
  assert.ok(budgets(options).round.budgetMs < budgets(full).round.budgetMs)
  assert.equal(parseArgs(['--seed', '7']).seed, 7)
  const seeds = new Set([parseArgs([]).seed, parseArgs([]).seed, parseArgs([]).seed])
  assert.ok(seeds.size > 1, 'a run without --seed draws its own')
})

test('refuses unknown names, bad numbers and missing values', () => {
  assert.throws(() => parseArgs(['--subject', 'nope']), /unknown subject "nope"/)
  assert.throws(() => parseArgs(['--workload', 'tight-loop,x']), /unknown workload "x"/)
  assert.throws(() => parseArgs(['--rounds', '0']), /whole number >= 1/)
  assert.throws(() => parseArgs(['--rounds', '2.5']), /whole number/)
  assert.throws(() => parseArgs(['--json']), /needs a value/)
  assert.throws(() => parseArgs(['--subject', '--quick']), /needs a value/)
  assert.throws(() => parseArgs(['--frobnicate']), /unknown option/)
  assert.throws(() => parseArgs(['--seed', '-1']), /whole number >= 0/)
  assert.throws(() => parseArgs(['--seed', String(2 ** 32)]), /below 2\^32/)
})

test('median, and a spread that one bad round does not blow up', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.equal(median([7]), 7)
  assert.throws(() => median([]))
  assert.equal(spreadPercent([5]), 0)
  assert.equal(Math.round(spreadPercent([9, 10, 11]) * 1000), 14826, '1.4826 × MAD 1 / 10')
  assert.equal(
    spreadPercent([10, 10, 11, 9, 100]),
    spreadPercent([10, 10, 11, 9, 12]),
    'an outlier round counts as any round off the median',
  )
})

test('each round a new order from the seed: every subject once, none always after the same one', () => {
  const subjects = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']
  const rounds = Array.from({ length: 7 }, (_, round) => roundOrder(subjects, round, 42))
  for (const order of rounds) assert.deepEqual([...order].sort(), subjects)
  assert.deepEqual(
    roundOrder(subjects, 3, 42),
    rounds[3],
    'the same seed and round give the same order',
  )
  assert.notDeepEqual(roundOrder(subjects, 3, 43), rounds[3], 'another seed, another order')
  // Under the old rotation every subject had one predecessor in all seven rounds.
  for (const subject of subjects) {
    const before = new Set(
      rounds.map((order) => order[order.indexOf(subject) - 1]).filter((x) => x !== undefined),
    )
    assert.ok(before.size >= 3, `${subject} followed only ${[...before].join(', ')}`)
  }
  const first = new Set(rounds.map((order) => order[0]))
  assert.ok(first.size >= 4, `who goes first varies: ${[...first].join(', ')}`)
  assert.deepEqual(roundOrder([], 3, 1), [])
})

test('every subject has its kind; pools and tinypool run only the batches, floors never', () => {
  assert.deepEqual(Object.keys(subjectInfo).sort(), [...subjectNames].sort())
  for (const subject of ['worker-pool', 'subprocess-pool', 'tinypool']) {
    assert.equal(runsOn(subject, 'tight-loop'), false, subject)
    for (const workload of batchWorkloads) assert.equal(runsOn(subject, workload), true, subject)
  }
  for (const subject of ['floor-thread', 'floor-thread-wait', 'floor-process']) {
    assert.equal(runsOn(subject, 'tight-loop'), true, subject)
    assert.equal(runsOn(subject, 'startup'), true, subject)
    for (const workload of batchWorkloads) assert.equal(runsOn(subject, workload), false, subject)
  }
  assert.match(subjectInfo['sync-rpc'].skip?.['io-batch'] ?? '', /process for every call/)
  assert.equal(floorOf('tight-loop', 'synckit'), 'floor-thread')
  assert.equal(floorOf('payload-100k', 'subprocess'), 'floor-process')
  assert.equal(floorOf('tight-loop', 'deasync'), undefined, 'in-process: nothing crosses')
  assert.equal(floorOf('cpu-map', 'worker-pool'), 'tinypool')
  assert.equal(floorOf('io-batch', 'worker'), 'timer')
})

test('per-call rows: usPerCall with p50Us and p99Us, spread, ratios to the fastest and to the floor', () => {
  const worker = row('worker')
  assert.equal(worker?.figure, 'usPerCall')
  assert.equal(worker?.usPerCall, 2)
  assert.equal(worker?.p50Us, 1.8)
  assert.equal(worker?.p99Us, 6)
  assert.deepEqual([worker?.minUs, worker?.maxUs, worker?.rounds], [1, 3, 3])
  assert.equal(worker?.samples, 100)
  assert.equal(worker?.samplesTotal, 300)
  assert.equal(worker?.ratio, 4, 'to floor-thread, the fastest here')
  assert.equal(worker?.floor, 'floor-thread')
  assert.equal(worker?.floorRatio, 4)
  assert.equal(worker?.waitFloorRatio, 0.05)
  assert.equal(row('synckit')?.floorRatio, 100)
  assert.equal(row('sync-rpc')?.floor, 'floor-process')
  assert.equal(row('sync-rpc')?.floorRatio, 7500)
  assert.equal(row('sync-rpc')?.waitFloorRatio, undefined, 'only thread subjects')
  assert.equal(row('floor-thread')?.floorRatio, 1)
  const missing = rows.filter((candidate) => candidate.usPerCall === null)
  assert.deepEqual(
    missing.map((candidate) => [candidate.subject, candidate.status]),
    [
      ['deasync', 'unavailable'],
      ['make-synchronous', 'timeout'],
    ],
  )
  assert.ok(missing.every((candidate) => typeof candidate.unavailable === 'string'))
  const [buffer] = summarize(findWorkload('buffer-1m'), [['worker', ok([2 ** 21])]])
  assert.equal(buffer.mbPerSec, 1, '2 MiB in 2 MiB µs is 1 MB/s')
})

test('start-up rows carry coldMs and rssMb, never usPerCall', () => {
  const startup = findWorkload('startup')
  const [worker, floor] = summarize(startup, [
    [
      'worker',
      { status: 'ok', samples: [80, 90, 100].map((coldMs) => ({ coldMs, rssMb: 19, calls: 1 })) },
    ],
    [
      'floor-thread',
      { status: 'ok', samples: [40, 40, 40].map((coldMs) => ({ coldMs, rssMb: 9, calls: 1 })) },
    ],
  ])
  assert.equal(worker.figure, 'coldMs')
  assert.equal(worker.coldMs, 90)
  assert.deepEqual([worker.minMs, worker.maxMs], [80, 100])
  assert.equal(worker.rssMb, 19)
  assert.equal(worker.floorRatio, 2.25)
  assert.equal(floor.coldMs, 40)
  for (const field of ['usPerCall', 'p50Us', 'p99Us', 'minUs']) assert.ok(!(field in worker), field)
})

test('palitra rows are compared round by round with the best peer of their kind', () => {
  const startup = findWorkload('startup')
  const cold = (/** @type {number[]} */ ms) => ({
    status: /** @type {const} */ ('ok'),
    samples: ms.map((coldMs) => ({ coldMs, rssMb: 10, calls: 4 })),
  })
  // The machine drifts between rounds; within each, worker is 2-5 % faster than make-synchronized.
  const rows = summarize(startup, [
    ['worker', cold([30, 50, 40, 60, 45])],
    ['floor-thread', cold([20, 20, 20, 20, 20])],
    ['synckit', cold([60, 80, 70, 90, 75])],
    ['make-synchronized', cold([31, 52, 41, 63, 46])],
    ['deasync-raw', cold([3, 3, 3, 3, 3])],
    ['subprocess', cold([100, 100, 100, 100, 100])],
  ])
  const row = (/** @type {string} */ subject) => rows.find((r) => r.subject === subject)
  const worker = row('worker')
  assert.equal(worker?.peer, 'make-synchronized', 'the fastest thread-based library')
  assert.equal(worker?.pairedRatio, 0.968, 'median of 30/31, 50/52, 40/41, 60/63, 45/46')
  assert.ok(worker.pairedSpreadPct < 2, 'the drift between rounds divides out')
  assert.ok(worker.spreadPct > 15, 'where the rounds themselves spread widely')
  assert.equal(row('subprocess')?.peer, undefined, 'no process-based peer in this run')
  for (const subject of ['make-synchronized', 'floor-thread', 'deasync-raw'])
    assert.equal(row(subject)?.pairedRatio, undefined, `${subject} is no palitra subject`)
  const batch = (/** @type {number} */ ms) => ({
    status: /** @type {const} */ ('ok'),
    samples: [{ meanUs: ms * 1000, p50Us: ms * 1000, p99Us: ms * 1000, calls: 2 }],
  })
  const [pool] = summarize(findWorkload('cpu-map'), [
    ['worker-pool', batch(200)],
    ['tinypool', batch(198)],
    ['synckit', batch(390)],
  ])
  assert.equal(pool?.peer, 'synckit', 'tinypool is the floor of cpu-map, not a peer')
})

test('batch rows carry msPerBatch with p50Ms and p99Ms; io-batch is held against one lone timer', () => {
  const ioBatch = findWorkload('io-batch')
  const batch = (/** @type {number} */ ms) => ({
    status: /** @type {const} */ ('ok'),
    samples: [{ meanUs: ms * 1000, p50Us: ms * 1000, p99Us: ms * 1200, calls: 4, timerUs: 10_100 }],
  })
  const [worker, synckit, skipped] = summarize(ioBatch, [
    ['worker', batch(12.12)],
    ['synckit', batch(1050)],
    ['sync-rpc', { status: 'skipped', reason: 'starts a process for every call', samples: [] }],
  ])
  assert.equal(worker.figure, 'msPerBatch')
  assert.equal(worker.msPerBatch, 12.12)
  assert.equal(worker.p99Ms, 14.544)
  assert.equal(worker.timerMs, 10.1)
  assert.equal(worker.floor, 'timer')
  assert.equal(worker.floorRatio, 1.2)
  assert.equal(synckit.ratio, 86.634)
  assert.equal(skipped.status, 'skipped')
  assert.equal(skipped.msPerBatch, null)
  const cpu = summarize(findWorkload('cpu-map'), [
    ['worker-pool', batch(230)],
    ['tinypool', batch(200)],
  ])
  assert.equal(cpu[0].floor, 'tinypool')
  assert.equal(cpu[0].floorRatio, 1.15)
})

test('the SVG is well-formed XML with one bar per measured subject and a log axis', () => {
  const svg = renderSvg(tightLoop, rows, {
    subtitle: 'Node v20 · Some CPU, 2 cores, 8 GB',
    isPalitra: (subject) => subject === 'worker',
    isFloor: (subject) => subject.startsWith('floor-'),
  })
  assert.match(svg, /^<\?xml[^>]*\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.equal(svg.match(/<rect class="bar"/g)?.length, 6)
  assert.equal(svg.match(/class="missing"/g)?.length, 2)
  assert.match(svg, /log scale/)
  assert.match(svg, /tight-loop/)
  assert.match(svg, /Some CPU/)
  assert.match(svg, /not installed/)
  assert.match(svg, /#0f766e/, 'floors in their own colour')
  assert.match(svg, /×100 · ×100</, 'synckit: ×fastest and ×floor')
  assertWellFormed(svg)
  const linear = renderSvg(tightLoop, rows.slice(0, 1), { subtitle: '', isPalitra: () => false })
  assert.match(linear, /linear scale/)
  assertWellFormed(linear)
  const startup = summarize(findWorkload('startup'), [
    ['worker', { status: 'ok', samples: [{ coldMs: 80, rssMb: 19, calls: 1 }] }],
  ])
  assert.match(
    renderSvg(findWorkload('startup'), startup, { subtitle: '', isPalitra: () => true }),
    /80\.0 ms/,
  )
})

test('the table lists the fastest first, shows the floor ratios and says why a subject has no figure', () => {
  const table = renderTable(rows, {
    header: 'header',
    workloads: [tightLoop],
    inProcess: new Set(),
  })
  const at = (/** @type {string} */ name) =>
    table.split('\n').findIndex((line) => line.trimStart().startsWith(`${name} `))
  assert.ok(at('floor-thread') < at('worker') && at('worker') < at('synckit'))
  assert.ok(at('synckit') < at('sync-rpc') && at('sync-rpc') < at('deasync'))
  assert.match(table, /floor: floor-thread \/ floor-process/)
  assert.match(table, /synckit\s+50\.0\s+×100\s+×100\s+×1\.25/)
  assert.match(table, /deasync\s+n\/a\s+unavailable: not installed/)
  assert.match(table, /make-synchronous\s+n\/a\s+timeout: no answer/)
})

test('--help prints the flags; a bad flag exits 2', () => {
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
  assert.equal(help.status, 0)
  for (const flag of ['--subject', '--workload', '--quick', '--rounds', '--json', '--readme'])
    assert.ok(help.stdout.includes(flag), flag)
  const bad = spawnSync(process.execPath, [cli, '--nope'], { encoding: 'utf8' })
  assert.equal(bad.status, 2)
})

test('a short run of the floors, the new peers and the pooled subjects writes the schema, the table and charts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'palitra-bench-'))
  try {
    const json = path.join(dir, 'out.json')
    const subjects = [
      'floor-thread',
      'floor-thread-wait',
      'floor-process',
      'synckit',
      'make-synchronized',
      'tinypool',
    ]
    const args = ['--quick', '--rounds', '2', '--subject', subjects.join(','), '--json', json]
    const result = spawnSync(
      process.execPath,
      [cli, ...args, '--workload', 'tight-loop,small-object,payload-100k,buffer-1m,cpu-map'],
      { encoding: 'utf8', timeout: 300_000 },
    )
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /tight-loop/)
    const written = JSON.parse(readFileSync(json, 'utf8'))
    assert.equal(written.schemaVersion, 2)
    assert.equal(written.node, process.version)
    assert.equal(typeof written.machine.cpu, 'string')
    assert.ok(written.machine.cores >= 1)
    assert.deepEqual(
      written.workloads.map((/** @type {any} */ w) => [w.name, w.figure]),
      [
        ['tight-loop', 'usPerCall'],
        ['small-object', 'usPerCall'],
        ['payload-100k', 'usPerCall'],
        ['buffer-1m', 'usPerCall'],
        ['cpu-map', 'msPerBatch'],
      ],
    )
    /** @param {string} workload @param {string} subject */
    const find = (workload, subject) =>
      written.results.find(
        (/** @type {any} */ r) => r.workload === workload && r.subject === subject,
      )
    // The floors and the peers installed here must measure: a floor that fails is a bench bug.
    for (const workload of ['tight-loop', 'small-object', 'payload-100k', 'buffer-1m']) {
      for (const subject of [
        'floor-thread',
        'floor-thread-wait',
        'floor-process',
        'synckit',
        'make-synchronized',
      ]) {
        const measured = find(workload, subject)
        assert.equal(measured?.status, 'ok', `${workload} ${subject}: ${measured?.unavailable}`)
        assert.equal(typeof measured.usPerCall, 'number')
        assert.ok(measured.p50Us <= measured.p99Us, `${workload} ${subject} p50 <= p99`)
        assert.equal(measured.rounds, 2)
        assert.equal(typeof measured.spreadPct, 'number')
        assert.equal(typeof measured.floorRatio, 'number')
      }
      assert.equal(find(workload, 'tinypool'), undefined, 'tinypool runs only the batches')
    }
    assert.equal(find('tight-loop', 'floor-thread').floorRatio, 1)
    for (const subject of ['synckit', 'make-synchronized', 'tinypool']) {
      const mapped = find('cpu-map', subject)
      assert.equal(mapped?.status, 'ok', `cpu-map ${subject}: ${mapped?.unavailable}`)
      assert.equal(typeof mapped.msPerBatch, 'number')
      assert.equal(mapped.floor, 'tinypool')
    }
    assert.equal(find('cpu-map', 'floor-thread'), undefined, 'no floor-thread on batches')
    for (const workload of ['tight-loop', 'cpu-map']) {
      assert.ok(existsSync(path.join(dir, `${workload}.svg`)))
      assertWellFormed(readFileSync(path.join(dir, `${workload}.svg`), 'utf8'))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
