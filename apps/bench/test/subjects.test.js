// The floors and the new subjects on their own, outside the CLI: they carry every workload's
// values, pass a task's error back, and leave no thread or process behind.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { workerBackend } from '@palitra/backend-worker'
import { sampleSync } from '../src/child/sampler.js'
import { openProcessFloor } from '../src/floors/process-floor.js'
import { openThreadFloor } from '../src/floors/thread-floor.js'
import { loadSubject } from '../src/subjects/index.js'
import { palitraPoolSubject } from '../src/subjects/palitra.js'
import { tasksUrl } from '../src/tasks/url.js'

/** Child processes of this process, by command line. */
function childCommands() {
  const out = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  })
  return out.split('\n').filter((line) => line.includes('process-host.mjs'))
}

/** Threads of this process (Linux). */
const threadCount = () =>
  Number(
    /^Threads:\s+(\d+)/m.exec(
      execFileSync('cat', [`/proc/${process.pid}/status`], { encoding: 'utf8' }),
    )?.[1],
  )

/** @param {{ call(name: string, arg: unknown): unknown }} floor */
function carriesEveryValue(floor) {
  assert.equal(floor.call('inc', 41), 42)
  assert.equal(floor.call('sleep', 1), 1)
  assert.ok(/** @type {number} */ (floor.call('timedSleep', 1)) > 0, 'its timer, in µs')
  const text = 'palitra ✓ '.repeat(10_000)
  assert.equal(floor.call('echo', text), text)
  const bytes = new Uint8Array(1 << 20).map((_, i) => i & 255)
  const back = /** @type {Uint8Array} */ (floor.call('echo', bytes))
  assert.ok(back instanceof Uint8Array)
  assert.deepEqual(back, bytes)
  assert.equal(floor.call('crunch', 1000), floor.call('crunch', 1000))
  // Port 1 refuses: the task's own error comes back as an Error with its message.
  assert.throws(() => floor.call('fetchLocal', 1), /ECONNREFUSED/)
  assert.equal(floor.call('inc', 1), 2, 'still answering after an error')
  const record = { id: 7, tags: ['a', 'é'], meta: { ok: true, at: [1.5, null] } }
  assert.deepEqual(floor.call('echo', record), record)
  assert.throws(
    () => floor.call('echo', new Map()),
    /floors carry numbers, strings, Uint8Arrays and plain objects/,
  )
  assert.throws(() => floor.call('nope', 1), /floors carry only/)
}

for (const mode of /** @type {const} */ (['spin', 'wait'])) {
  test(`floor-thread (${mode}) carries every workload's values and its worker ends on close`, async () => {
    const before = threadCount()
    const floor = openThreadFloor(tasksUrl, mode)
    carriesEveryValue(floor)
    floor.close()
    // A worker's thread is gone some time after it exits: wait for it, with a way out.
    const until = Date.now() + 10_000
    while (threadCount() > before && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    assert.equal(threadCount(), before)
  })
}

for (const mode of /** @type {const} */ (['spin', 'wait'])) {
  test(`floor-thread (${mode}): a stray wake-up never hands a call another call's result`, async () => {
    const floor = openThreadFloor(tasksUrl, mode)
    const stop = new Int32Array(new SharedArrayBuffer(4))
    // Another thread notifies the state slot nonstop: every wait sees wake-ups that mean nothing,
    // as a late notify meant for an earlier turn would be.
    const noise = new Worker(
      `const { workerData } = require('node:worker_threads')
      const header = new Int32Array(workerData.buffer, 0, 16)
      const stop = new Int32Array(workerData.stop)
      while (Atomics.load(stop, 0) === 0) Atomics.notify(header, 0)`,
      { eval: true, workerData: { buffer: floor.buffer, stop: stop.buffer } },
    )
    try {
      await new Promise((resolve) => noise.once('online', resolve))
      for (let i = 0; i < 3000; i++) assert.equal(floor.call('inc', i), i + 1)
      const text = 'x'.repeat(10_000)
      for (let i = 0; i < 200; i++) assert.equal(floor.call('echo', text), text)
    } finally {
      Atomics.store(stop, 0, 1)
      await noise.terminate()
      floor.close()
    }
  })
}

test("floor-process carries every workload's values and its child exits on close", async () => {
  const floor = openProcessFloor(tasksUrl)
  carriesEveryValue(floor)
  assert.equal(childCommands().length, 1)
  floor.close()
  const until = Date.now() + 10_000
  while (childCommands().length > 0 && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20))
  assert.deepEqual(childCommands(), [])
})

test('a pooled subject refuses a backend without a pool instead of measuring one host', () => {
  const subject = palitraPoolSubject('worker', { module: { workerBackend: () => workerBackend() } })
  assert.throws(
    () => subject.create(tasksUrl),
    /has no pool \(capabilities\.parallel is not true\)/,
  )
})

test('tinypool runs the shared tasks from async code, in batches', async () => {
  const tinypool = await loadSubject('tinypool')
  assert.equal(tinypool.available(), undefined)
  assert.equal(tinypool.async, true)
  const pool = tinypool.create(tasksUrl)
  try {
    assert.equal(await pool.call('inc', 1), 2)
    assert.deepEqual(
      await pool.all?.([
        ['inc', 1],
        ['sleep', 1],
      ]),
      [2, 1],
    )
    assert.deepEqual(await pool.map?.('inc', [1, 2, 3]), [2, 3, 4])
  } finally {
    await pool.close()
  }
})

test('make-synchronized and everysync are written as their READMEs show', async () => {
  const synchronized = await loadSubject('make-synchronized')
  assert.equal(synchronized.available(), undefined)
  const instance = synchronized.create(tasksUrl)
  assert.equal(instance.call('inc', 1), 2)
  const everysync = await loadSubject('everysync')
  // No release on the npm registry: listed with the reason, never silently dropped.
  assert.match(String(everysync.available()), /no release on the npm registry/)
})

test('a round takes at least minSamples and stops at maxSamples, with p50 <= p99', () => {
  let calls = 0
  const slow = sampleSync(
    () => {
      calls++
      const until = performance.now() + 2
      while (performance.now() < until) {}
    },
    { budgetMs: 1, minSamples: 3, maxSamples: 1000 },
  )
  assert.equal(slow.samples, 3)
  assert.equal(calls, 3)
  const capped = sampleSync(() => {}, { budgetMs: 10_000, minSamples: 1, maxSamples: 50 })
  assert.equal(capped.samples, 50)
  assert.ok(capped.p50Us <= capped.p99Us)
  let before = 0
  sampleSync(() => {}, {
    budgetMs: 10_000,
    minSamples: 1,
    maxSamples: 7,
    beforeEach: () => before++,
  })
  assert.equal(before, 7, 'the untimed caller work runs once per sample')
})
