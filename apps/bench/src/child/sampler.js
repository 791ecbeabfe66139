// One round of samples, timed by tinybench: each sample is one call (or one batch) between two
// performance.now() reads, with tinybench's calibrated cost of a clock read subtracted, so the
// figures are per call and the tail (p99) is the calls' own, not an average over a loop.
import { Bench } from 'tinybench'

/**
 * @typedef {object} RoundPlan
 * @property {number} budgetMs  sampling time (timed samples only)
 * @property {number} minSamples
 * @property {number} maxSamples  stops the round early (and bounds untimed caller work)
 * @property {() => void} [beforeEach]  untimed work before each sample
 *
 * @typedef {{ meanUs: number, p50Us: number, p99Us: number, samples: number }} RoundStats
 */

/**
 * @param {RoundPlan} plan
 * @param {AbortController} stop
 */
function bench(plan, stop) {
  let taken = 0
  const bench = new Bench({
    time: plan.budgetMs,
    iterations: plan.minSamples,
    warmup: false,
    throws: true,
    subtractTimerOverhead: true,
    signal: stop.signal,
  })
  const beforeEach = () => {
    if (++taken >= plan.maxSamples) stop.abort()
    plan.beforeEach?.()
  }
  return { bench, beforeEach }
}

/** @param {import('tinybench').Task} task @returns {RoundStats} */
function statsOf(task) {
  const result = /** @type {any} */ (task.result)
  if (result.state === 'errored') throw result.error
  const latency = result.latency
  if (!latency) throw new Error(`tinybench gave no statistics (${result.state})`)
  return {
    meanUs: latency.mean * 1000,
    p50Us: latency.p50 * 1000,
    p99Us: latency.p99 * 1000,
    samples: latency.samplesCount,
  }
}

/**
 * A round of a synchronous step.
 * @param {() => unknown} step
 * @param {RoundPlan} plan
 */
export function sampleSync(step, plan) {
  const { bench: b, beforeEach } = bench(plan, new AbortController())
  // Saying so spares tinybench an untimed call to find out (a whole batch, for cpu-map).
  b.add('round', step, { beforeEach, async: false })
  return statsOf(b.runSync()[0])
}

/**
 * A round of an async step (tinypool used from async code).
 * @param {() => Promise<unknown>} step
 * @param {RoundPlan} plan
 */
export async function sampleAsync(step, plan) {
  const { bench: b, beforeEach } = bench(plan, new AbortController())
  b.add('round', step, { beforeEach, async: true })
  return statsOf((await b.run())[0])
}

/**
 * Untimed samples for `ms` (at least one), to warm a runner up.
 * @param {() => unknown} step
 * @param {number} ms
 * @param {number} maxSamples
 */
export function warmSync(step, ms, maxSamples) {
  const until = performance.now() + ms
  for (let i = 0; i < maxSamples && (i === 0 || performance.now() < until); i++) step()
}

/**
 * @param {() => Promise<unknown>} step
 * @param {number} ms
 * @param {number} maxSamples
 */
export async function warmAsync(step, ms, maxSamples) {
  const until = performance.now() + ms
  for (let i = 0; i < maxSamples && (i === 0 || performance.now() < until); i++) await step()
}
