// A measurement child: `node child/measure.js <subject> <workload>`, driven over IPC by the CLI
// (see ../session.js). One child per subject and workload keeps a subject that hangs, crashes
// or leaks away from the others, and gives start-up and memory figures a clean slate.
//
// Every blocking call runs inside a setImmediate callback, a macrotask, never inside a promise
// job: deasync-raw and palitra's deasync backend pump the event loop until the task's promise
// settles, and a promise cannot settle while the caller blocks inside a microtask (after an
// `await`, in a `.then`) — the wait would never end. So the async steps below (loading the
// subject, sampling the timer) finish first, and only then is the blocking work scheduled.
// Async subjects (tinypool used from async code) are awaited instead.
import { setTimeout as delay } from 'node:timers/promises'
import { treeRssMb } from '../machine.js'
import { loadSubject } from '../subjects/index.js'
import { tasksUrl } from '../tasks/url.js'
import { findWorkload } from '../workloads.js'
import { sampleAsync, sampleSync, warmAsync, warmSync } from './sampler.js'

const [subjectName, workloadName] = process.argv.slice(2)
const workload = findWorkload(workloadName)

/** @param {Record<string, unknown>} message */
const send = (message) => new Promise((resolve) => process.send?.(message, resolve))

/** @param {unknown} error */
function failure(error) {
  const err = /** @type {{ code?: string, message?: string }} */ (error ?? {})
  const text = String(err.message ?? error).split('\n')[0]
  if (err.code === 'ERR_PALITRA_UNAVAILABLE') return { type: 'unavailable', reason: text }
  return { type: 'failed', reason: err.code ? `${err.code}: ${text}` : text }
}

/** What `await setTimeout(ms)` alone takes here (median of a few), in µs. */
async function timerAloneUs(/** @type {number} */ ms) {
  const samples = []
  for (let i = 0; i < (ms > 5 ? 5 : 25); i++) {
    const started = performance.now()
    await delay(ms)
    samples.push((performance.now() - started) * 1000)
  }
  samples.sort((a, b) => a - b)
  return samples[samples.length >> 1]
}

/**
 * Run `work` from a macrotask (or await it for an async subject) and send what it returns, or why
 * it failed.
 * @param {() => Record<string, unknown> | Promise<Record<string, unknown>>} work
 */
function reply(work) {
  const run = async () => {
    try {
      return await work()
    } catch (error) {
      return failure(error)
    }
  }
  if (subject.async) run().then(send)
  else
    setImmediate(() => {
      let result
      try {
        result = work()
      } catch (error) {
        result = failure(error)
      }
      send(/** @type {Record<string, unknown>} */ (result))
    })
}

const subject = await loadSubject(subjectName)
/** @type {import('../subjects/index.js').Instance | undefined} */
let instance
/** @type {(() => unknown) | undefined} */
let step
/** @type {Record<string, any>} */
let prepared = {}
/** timerInHost: what the round's calls recorded (see StepContext.timed). */
const timed = { timerUs: /** @type {number[]} */ ([]), overUs: /** @type {number[]} */ ([]) }

/** @param {number[]} values @param {number} q */
const quantile = (values, q) => values[Math.min(values.length - 1, Math.floor(values.length * q))]

/**
 * timerInHost: the round's figures from each call's time above its own timer, in µs; the
 * samples tinybench timed are the same calls, so its count stands.
 * @param {import('./sampler.js').RoundStats} stats
 */
function overOwnTimer(stats) {
  const over = [...timed.overUs].sort((a, b) => a - b)
  const timers = [...timed.timerUs].sort((a, b) => a - b)
  const meanOver = over.reduce((sum, x) => sum + x, 0) / over.length
  return {
    meanUs: meanOver,
    p50Us: quantile(over, 0.5),
    p99Us: quantile(over, 0.99),
    calls: stats.samples,
    timerUs: quantile(timers, 0.5),
    totalUs: stats.meanUs,
  }
}

/** @param {import('./sampler.js').RoundStats} stats @param {number | undefined} timerUs */
const metricsOf = (stats, timerUs) =>
  workload.timerInHost ? overOwnTimer(stats) : roundMetrics(stats, timerUs)

/** @param {import('../workloads.js').Budget} budget */
const maxSamples = (budget) =>
  (budget.quick ? workload.maxSamples?.quick : workload.maxSamples?.full) ?? 1000

/**
 * One round's figures, in µs; the timer's own time taken off where the figure is the overhead.
 * @param {import('./sampler.js').RoundStats} stats
 * @param {number | undefined} timerUs
 */
function roundMetrics(stats, timerUs) {
  const over = workload.overTimer && timerUs !== undefined ? timerUs : 0
  return {
    meanUs: stats.meanUs - over,
    p50Us: stats.p50Us - over,
    p99Us: stats.p99Us - over,
    calls: stats.samples,
    ...(timerUs === undefined ? {} : { timerUs }),
    ...(over ? { totalUs: stats.meanUs } : {}),
  }
}

const handlers = {
  /** Create the runner, check its first result, and warm it up. */
  async open(/** @type {any} */ message) {
    prepared = (await workload.prepare?.()) ?? {}
    const port = message.port ?? 0
    const { warmupMs } = message.budget
    if (subject.async) {
      reply(async () => {
        instance = subject.create(tasksUrl)
        const first = await instance.call('inc', 41)
        if (first !== 42) throw new Error(`inc(41) returned ${first}`)
        step = workload.step?.({ instance, port, prepared, timed })
        await warmAsync(
          /** @type {() => Promise<unknown>} */ (step),
          warmupMs,
          maxSamples(message.budget),
        )
        return { type: 'ready', note: subject.note?.() }
      })
      return
    }
    reply(() => {
      instance = subject.create(tasksUrl)
      const first = instance.call('inc', 41)
      if (first !== 42) throw new Error(`inc(41) returned ${first}`)
      workload.probe?.(instance)
      step = workload.step?.({ instance, port, prepared, timed })
      if (step) warmSync(step, warmupMs, maxSamples(message.budget))
      return { type: 'ready', note: subject.note?.() }
    })
  },
  /** One timed round on the open runner. */
  async round(/** @type {any} */ message) {
    const timerUs = workload.timerMs ? await timerAloneUs(workload.timerMs) : undefined
    const { budgetMs, warmupMs, quick } = message.budget
    /** @type {import('./sampler.js').RoundPlan} */
    const plan = {
      budgetMs,
      minSamples: workload.minSamples ?? (quick ? 1 : 3),
      maxSamples: maxSamples(message.budget),
      beforeEach: workload.beforeEach,
    }
    if (subject.async) {
      reply(async () => {
        const asyncStep = /** @type {() => Promise<unknown>} */ (step)
        if (warmupMs > 0) await warmAsync(asyncStep, warmupMs, plan.maxSamples)
        timed.timerUs.length = 0
        timed.overUs.length = 0
        return { type: 'result', metrics: metricsOf(await sampleAsync(asyncStep, plan), timerUs) }
      })
      return
    }
    reply(() => {
      if (!step) throw new Error('round before open')
      if (warmupMs > 0) warmSync(step, warmupMs, plan.maxSamples)
      timed.timerUs.length = 0
      timed.overUs.length = 0
      return { type: 'result', metrics: metricsOf(sampleSync(step, plan), timerUs) }
    })
  },
  /** A new runner to its first result; this process has loaded the library and nothing else. */
  startup() {
    reply(() => {
      const rssBefore = treeRssMb(process.pid)
      const started = performance.now()
      instance = subject.create(tasksUrl)
      const first = instance.call('inc', 1)
      const coldMs = performance.now() - started
      if (first !== 2) throw new Error(`inc(1) returned ${first}`)
      const rssMb = treeRssMb(process.pid) - rssBefore
      return { type: 'result', metrics: { coldMs, rssMb, calls: 1 } }
    })
  },
  close() {
    setImmediate(async () => {
      try {
        await instance?.close()
      } finally {
        process.exit(0)
      }
    })
  },
}

process.on('message', (/** @type {any} */ message) => {
  const type = /** @type {keyof typeof handlers} */ (message?.type ?? '')
  if (Object.hasOwn(handlers, type)) handlers[type](message)
})
process.on('disconnect', () => process.exit(0))
await send({ type: 'loaded', unavailable: subject.available() })
