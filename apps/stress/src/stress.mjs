#!/usr/bin/env node
// The stress run (not a unit test): soak, runner churn against bare Node, big payloads, callers
// in several threads, nested runners, on every backend. Prints what it measured; exits 1 when a
// check fails (a leak, a lost or wrong value, something left behind).
//   node --expose-gc src/stress.mjs [--quick] [--backend worker,subprocess,deasync] [--stage soak,churn,...]
//                                   [--churn N] [--soak-seconds S] [--rss-bound-mb MB]
import { fork } from 'node:child_process'
import { parseArgs } from 'node:util'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { eventually, inMacrotask, threadCount } from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import { backendByName, backendNames, outOfProcess } from './backends.mjs'
import { children, childrenRss, hasProc, mb, settle } from './proc.mjs'

const tasks = new URL('../fixtures/tasks.mjs', import.meta.url)
const bareChildEntry = new URL('../fixtures/bare-child.mjs', import.meta.url)

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: backendNames.join(',') },
      stage: { type: 'string' },
      churn: { type: 'string' },
      'soak-seconds': { type: 'string' },
      'rss-bound-mb': { type: 'string', default: '16' },
    },
  })
  if (typeof globalThis.gc !== 'function') {
    console.error('run with node --expose-gc (memory is measured after collecting garbage)')
    process.exit(2)
  }
  const quick = values.quick
  const config = {
    churn: Number(values.churn ?? (quick ? 40 : 1000)),
    soakSeconds: Number(values['soak-seconds'] ?? (quick ? 3 : 60)),
    rssBoundMb: Number(values['rss-bound-mb']),
    threads: quick ? 3 : 4,
    callsPerThread: quick ? 2_000 : 50_000,
  }
  const backends = values.backend.split(',')
  const failures = []
  const check = (ok, what) => {
    if (!ok) failures.push(what)
    return ok
  }
  console.log(`stress: ${JSON.stringify(config)}`)
  const threadsAtStart = hasProc ? threadCount() : undefined

  for (const name of backends) {
    for (const [stage, run] of Object.entries(stages)) {
      if (values.stage && !values.stage.split(',').includes(stage)) continue
      if (stage === 'threads' && name === 'deasync') continue // one in-process loop per thread
      const started = performance.now()
      let report
      try {
        report = await run(name, config, check)
      } catch (error) {
        check(false, `${name} ${stage}: ${error?.stack ?? error}`)
        report = { error: String(error?.message ?? error) }
      }
      const ms = Math.round(performance.now() - started)
      console.log(
        `${name.padEnd(10)} ${stage.padEnd(8)} ${ms.toString().padStart(6)} ms  ${JSON.stringify(report)}`,
      )
    }
  }

  if (hasProc) {
    await settle()
    const left = await eventually(
      () => ({ ...children(), threads: threadCount() }),
      (now) => now.live === 0 && now.zombies === 0 && now.threads <= threadsAtStart,
      20_000,
    )
    console.log(`left behind: ${JSON.stringify({ ...left, threadsAtStart })}`)
    check(left.live === 0 && left.zombies === 0, `children left: ${JSON.stringify(left)}`)
    check(left.threads <= threadsAtStart, `threads left: ${left.threads} > ${threadsAtStart}`)
  }
  if (failures.length > 0) {
    console.error(`\nstress FAILED:\n- ${failures.join('\n- ')}`)
    process.exit(1)
  }
  console.log('stress: all checks passed')
}

function memory() {
  globalThis.gc()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed }
}

const stages = {
  /** One runner, calls for a while: heap and RSS must stay flat after warm-up. */
  async soak(name, config, check) {
    const runner = createRunner(tasks, { backend: backendByName(name) })
    const payload = { text: 'x'.repeat(2_000), list: Array.from({ length: 200 }, (_, i) => i) }
    const samples = []
    let calls = 0
    const slice = () => {
      const sliceEnd = performance.now() + 100
      while (performance.now() < sliceEnd) {
        const back = runner.call('echo', payload)
        if (back.list.length !== 200) throw new Error('echo changed the value')
        calls++
      }
    }
    // Warm-up first (JIT, buffers, and heaps growing to their working size: a thread's heap that
    // nothing collects by hand grows for seconds before its first full collection); then memory
    // is sampled after each slice, for the soak's length.
    const warmUntil = performance.now() + Math.max(4, config.soakSeconds / 10) * 1000
    while (performance.now() < warmUntil) await inMacrotask(slice)
    const until = performance.now() + config.soakSeconds * 1000
    while (performance.now() < until) {
      await inMacrotask(() => {
        slice()
        runner.call('collect')
      })
      // A subprocess host's memory counts too: it is the runner's.
      const { rss, heapUsed } = memory()
      samples.push({ rss: rss + childrenRss(), heapUsed })
    }
    await inMacrotask(() => runner.close())
    // Flat: the floor of the last quarter is within noise (a few MB) of the second quarter's, not
    // a steady climb. Floors, because memory that comes and goes (a thread's young generation, an
    // allocator's arena) can be caught in any one sample; what leaks raises every sample.
    const quarter = (i, key) => {
      const from = Math.floor((i * samples.length) / 4)
      const to = Math.floor(((i + 1) * samples.length) / 4)
      return Math.min(...samples.slice(from, to).map((sample) => sample[key]))
    }
    const heapGrowth = quarter(3, 'heapUsed') - quarter(1, 'heapUsed')
    const rssGrowth = quarter(3, 'rss') - quarter(1, 'rss')
    check(
      heapGrowth < 4 * 2 ** 20,
      `${name} soak: heap grew ${mb(heapGrowth)} MB from its second quarter to its last`,
    )
    // RSS within the bound the churn allows too: a thread's young generation or an allocator
    // arena can commit ~8 MB in one step while the heap stays flat (seen: quarter floors 77.4,
    // 77.3, 77.4, 85.4 MB, heap 5.8 MB throughout), where a leak of even 4 KiB a call grows by
    // hundreds of MB over a soak.
    check(
      rssGrowth < config.rssBoundMb * 2 ** 20,
      `${name} soak: RSS grew ${mb(rssGrowth)} MB from its second quarter to its last (${config.rssBoundMb} MB allowed)`,
    )
    return {
      calls,
      samples: samples.length,
      heapMB: [0, 1, 2, 3].map((i) => mb(quarter(i, 'heapUsed'))),
      rssMB: [0, 1, 2, 3].map((i) => mb(quarter(i, 'rss'))),
    }
  },

  /** Runners created, called once and closed (and as many dropped), against bare Node. */
  async churn(name, config, check) {
    const backend = backendByName(name)
    // Rounds of the same shape: 10 runners closed one after the other, 10 dropped (alive
    // together until finalized). Bare Node's round: 10 hosts one after the other, 10 at once.
    const perRound = 10
    const rounds = Math.max(3, Math.ceil(config.churn / (2 * perRound)))
    const palitraRound = () =>
      inMacrotask(() => {
        for (let i = 0; i < perRound; i++) {
          const closed = createRunner(tasks, { backend })
          closed.call('ping')
          closed.close()
        }
        for (let i = 0; i < perRound; i++) createRunner(tasks, { backend }).call('ping')
      })
    // A long-lived runner stays open throughout, as an application's shared one would: the
    // worker backend's watchdog thread then never ends, and what it holds per closed runner adds up.
    const keeper = createRunner(tasks, { backend })
    await inMacrotask(() => keeper.start())
    const ours = await rssGrowth(palitraRound, rounds)
    await inMacrotask(() => keeper.close())
    const runners = 2 * perRound * rounds
    if (!outOfProcess(name)) return { runners, rssGrowthMB: mb(ours) }
    const bareStart = name === 'worker' ? bareWorker : bareChild
    const bareRound = async () => {
      for (let i = 0; i < perRound; i++) await (await bareStart())()
      const together = await Promise.all(Array.from({ length: perRound }, bareStart))
      await Promise.all(together.map((end) => end()))
    }
    const bare = await rssGrowth(bareRound, rounds)
    const left = hasProc ? await eventually(children, (c) => c.live + c.zombies === 0, 20_000) : {}
    // Measured second, bare Node can read below zero (memory of earlier stages returned meanwhile);
    // it cannot shrink what palitra may add, so it counts as no growth then.
    check(
      ours <= Math.max(bare, 0) + config.rssBoundMb * 2 ** 20,
      `${name} churn: RSS grew ${mb(ours)} MB, bare Node ${mb(bare)} MB (+${config.rssBoundMb} MB allowed)`,
    )
    check(!left.zombies && !left.live, `${name} churn: children left ${JSON.stringify(left)}`)
    return {
      runners,
      rssGrowthMB: mb(ours),
      bareRssGrowthMB: mb(bare),
      bare: name === 'worker' ? 'new Worker + terminate' : 'fork + kill',
      ...left,
    }
  },

  /** A 64 MiB string and a 128 MiB typed array, there and back. */
  async payloads(name, _config, check) {
    const runner = createRunner(tasks, { backend: backendByName(name), timeout: 120_000 })
    const report = await inMacrotask(() => {
      const text = 'y'.repeat(64 * 2 ** 20)
      const echoed = runner.call('echo', text)
      const made = runner.call('makeString', 64 * 2 ** 20)
      const bytes = new Uint8Array(128 * 2 ** 20)
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i / 4096
      const [length, sum] = runner.call('checksum', bytes)
      let expected = 0
      for (let i = 0; i < bytes.length; i += 4096) expected = (expected + bytes[i]) | 0
      const back = runner.call('echo', bytes)
      check(echoed === text, `${name} payloads: the 64 MiB string came back changed`)
      check(made.length === 64 * 2 ** 20, `${name} payloads: the 64 MiB result is ${made.length}`)
      check(length === bytes.length && sum === expected, `${name} payloads: checksum ${sum}`)
      check(
        back.length === bytes.length && back[4096 * 7] === 7,
        `${name} payloads: the 128 MiB array came back changed`,
      )
      return { stringMiB: 64, typedArrayMiB: 128 }
    })
    await inMacrotask(() => runner.close())
    return report
  },

  /** Callers in several threads, each with its own runner. */
  async threads(name, config, check) {
    const sums = await Promise.all(
      Array.from(
        { length: config.threads },
        () =>
          new Promise((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), {
              workerData: { backend: name, calls: config.callsPerThread },
              execArgv: [],
            })
            worker.once('message', resolve)
            worker.once('error', reject)
          }),
      ),
    )
    const expected = (config.callsPerThread * (config.callsPerThread - 1)) / 2
    check(
      sums.every((sum) => sum === expected),
      `${name} threads: sums ${sums.join(', ')}, expected ${expected} each`,
    )
    return { threads: config.threads, callsPerThread: config.callsPerThread }
  },

  /** A task that itself creates a runner, calls it and closes it. */
  async nested(name, _config, check) {
    const runner = createRunner(tasks, { backend: backendByName(name) })
    const results = await inMacrotask(() =>
      // The inner runner blocks inside the task (an async function), where only an
      // out-of-thread backend can; deasync refuses there by design.
      ['worker', 'subprocess'].map((inner) => runner.call('nested', inner, 41)),
    )
    await inMacrotask(() => runner.close())
    check(
      results.every((r) => r === 42),
      `${name} nested: ${results.join(', ')}, expected 42 each`,
    )
    return { inner: ['worker', 'subprocess'], results }
  },
}

/**
 * RSS growth over `rounds - 1` rounds of `round`, after one round of warm-up (code, heaps and
 * allocator arenas reach their working size). Each side is read once every thread and child has
 * ended (a dropped runner's host ends only after its finalizer ran), so what is measured is what
 * stays, not what is still shutting down.
 */
async function rssGrowth(round, rounds) {
  // What is there before the first round (a long-lived runner's child and threads) stays.
  const atStart = hasProc ? { ...children(), threads: threadCount() } : undefined
  const quiet = async () => {
    await settle()
    if (!atStart) return
    await eventually(
      () => {
        globalThis.gc()
        return { ...children(), threads: threadCount() }
      },
      (now) => now.live <= atStart.live && now.threads <= atStart.threads,
      30_000,
    )
    await settle()
  }
  await round()
  await quiet()
  const before = memory().rss
  // Quiet between rounds too: a dropped runner's host lives until its finalizer runs, and rounds
  // overlapping would raise the number of threads alive at once above bare Node's (the
  // allocator keeps such a high-water mark), which is not what this compares.
  for (let i = 1; i < rounds; i++) {
    await round()
    await quiet()
  }
  return memory().rss - before
}

const bareWorkerSource = `require('node:worker_threads').parentPort.once('message', (m) => require('node:worker_threads').parentPort.postMessage(m))`

/** Start a bare Worker and see it answer once; resolves with the function that ends it. */
async function bareWorker() {
  const worker = new Worker(bareWorkerSource, { eval: true })
  await new Promise((resolve) => {
    worker.once('message', resolve)
    worker.postMessage(1)
  })
  return () => worker.terminate()
}

/** Fork a bare child and see it answer once; resolves with the function that ends (and reaps) it. */
async function bareChild() {
  const child = fork(bareChildEntry)
  await new Promise((resolve) => {
    child.once('message', resolve)
    child.send(1)
  })
  return async () => {
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

// Run last: the stages above must be defined first.
if (!isMainThread) {
  // A caller thread of the "threads" stage: its own runner, many calls, the sum back.
  const { backend, calls } = workerData
  const runner = createRunner(tasks, { backend: backendByName(backend) })
  let sum = 0
  for (let i = 0; i < calls; i++) sum += runner.call('echo', i)
  runner.close()
  parentPort.postMessage(sum)
} else {
  await main()
}
