/**
 * The workloads. Names, descriptions, units and figures are read by the CLI; `step` runs inside a
 * measurement child, from a macrotask (see child/measure.js), where tinybench times each sample.
 *
 * A sample is one call (or one batch of calls for io-batch and cpu-map). A round takes samples
 * until its time budget is spent (at least `minSamples`, at most the workload's `maxSamples`), so
 * a subject that costs 200 ms a call gets a few samples rather than a guessed figure.
 *
 * @typedef {object} Budget
 * @property {number} budgetMs  time to spend sampling in one round (timed samples only)
 * @property {number} warmupMs  untimed samples before the timed ones
 * @property {boolean} quick  smaller sample caps
 *
 * @typedef {object} StepContext
 * @property {import('./subjects/index.js').Instance} instance
 * @property {number} port  the local HTTP server (keep-alive only)
 * @property {Record<string, any>} prepared  what `prepare` returned in this child
 * @property {{ timerUs: number[], overUs: number[] }} timed  timerInHost: per call, its timer as
 *   the task timed it and the call's time above that timer, in µs
 *
 * @typedef {object} Workload
 * @property {string} name
 * @property {string} about  one line for the table and the chart
 * @property {string} unit  what the figure means, for people (`µs/call`, `ms to first result`)
 * @property {'usPerCall' | 'msPerBatch' | 'coldMs'} figure  the JSON field holding the figure
 * @property {boolean} [fresh]  measured on a new runner in a new process each round (startup)
 * @property {{ quick: number, full: number }} [freshPerRound]  how many fresh processes each
 *   subject gets in a round (fresh workloads; default 1); the round's figure is their mean
 * @property {boolean} [needsServer]  the local HTTP server must run
 * @property {number} [timerMs]  the child times `await setTimeout(timerMs)` alone before each
 *   round: timer-1ms reports the overhead above it, io-batch compares the batch with it
 * @property {boolean} [overTimer]  the figure is the time above the timer (subtracted)
 * @property {boolean} [timerInHost]  the timer taken off each call is the one its task timed
 *   where it ran (the step records both in `timed`), not one timed alone in the caller
 * @property {number} [bytesPerCall]  bytes sent plus received per call, for MB/s
 * @property {{ quick: number, full: number }} [maxSamples]  per round
 * @property {number} [minSamples]  per round, even past the budget (default 3; 1 with --quick)
 * @property {() => Promise<Record<string, any>>} [prepare]  async set-up in the child, once
 * @property {(instance: import('./subjects/index.js').Instance) => unknown} [probe]  a cheap
 *   check that the subject can carry this workload's values at all, before the warm-up
 * @property {() => void} [beforeEach]  untimed caller work before each sample
 * @property {(ctx: StepContext) => () => unknown} [step]  one sample (a promise for async subjects)
 */

/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} what
 */
function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what} returned ${actual}, expected ${expected}`)
}

/** @param {number} ms */
function busyWait(ms) {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

const payload = 'palitra '.repeat(12_800) // 100 KiB
/** What a linter or transformer task typically takes and gives: a small record, nested. */
const record = {
  id: 7,
  file: 'src/components/button.tsx',
  fixable: true,
  range: [120, 148],
  tags: ['style', 'format'],
  location: { line: 12, column: 4 },
}

/** @param {any} back */
function expectRecord(back) {
  if (back?.location?.column !== 4 || back.tags?.[1] !== 'format' || back.range?.[1] !== 148)
    throw new Error(`the record came back as ${JSON.stringify(back)}`)
}
const bytes = new Uint8Array(1 << 20).fill(7)

/**
 * @param {unknown} back
 * @param {Uint8Array} sent
 */
function expectBytes(back, sent) {
  if (!(back instanceof Uint8Array) || back.length !== sent.length) {
    const kind = Object.prototype.toString.call(back)
    throw new Error(`a Uint8Array came back as ${kind}: not supported by this transport`)
  }
}

/** io-batch: this many calls, each awaiting a timer of this many ms. */
export const ioBatch = { calls: 100, sleepMs: 10 }
/** cpu-map: this many items of `crunch(rounds)` (~25 ms of one core each). */
export const cpuMap = { items: 16, rounds: 15_000_000 }

/**
 * Check a batch's results and give the step's return value (sync) or promise (async).
 * @param {unknown} results
 * @param {(value: unknown) => void} check
 * @param {number} count
 */
function checkBatch(results, check, count) {
  const list = /** @type {unknown[]} */ (results)
  if (!Array.isArray(list) || list.length !== count)
    throw new Error(
      `a batch of ${count} returned ${Array.isArray(list) ? list.length : typeof list}`,
    )
  for (const value of list) check(value)
  return list
}

/**
 * One batch: `batch(instance)` where the subject has one wait for many calls, else `calls` in a
 * loop (what a peer's user writes), awaited in order for async subjects.
 * @param {StepContext} ctx
 * @param {{ method: 'all' | 'map', args: () => [any, any?], name: string, inputs: unknown[], check: (value: unknown) => void }} plan
 */
function batchStep({ instance }, plan) {
  const count = plan.inputs.length
  const one = instance[plan.method]
  if (one) {
    const args = plan.args()
    return () => {
      const out = one(...args)
      return out instanceof Promise
        ? out.then((list) => checkBatch(list, plan.check, count))
        : checkBatch(out, plan.check, count)
    }
  }
  return () => {
    for (const input of plan.inputs) plan.check(instance.call(plan.name, input))
  }
}

/** @type {Workload[]} */
export const workloads = [
  {
    name: 'tight-loop',
    about: 'an async n => n + 1, called back to back',
    unit: 'µs/call',
    figure: 'usPerCall',
    maxSamples: { quick: 30_000, full: 300_000 },
    step({ instance }) {
      let i = 0
      return () => {
        expectEqual(instance.call('inc', i), i + 1, 'inc')
        i++
      }
    },
  },
  {
    name: 'spaced',
    about: 'the same with ~200 µs of caller work between calls (not timed)',
    unit: 'µs/call',
    figure: 'usPerCall',
    maxSamples: { quick: 200, full: 2_000 },
    beforeEach: () => busyWait(0.2),
    step({ instance }) {
      let i = 0
      return () => {
        expectEqual(instance.call('inc', i), i + 1, 'inc')
        i++
      }
    },
  },
  {
    name: 'timer-1ms',
    about: 'the task awaits a 1 ms timer; the overhead above that timer',
    unit: 'µs over the timer',
    figure: 'usPerCall',
    // Node's timers count whole milliseconds of a loop clock read at each turn, so a 1 ms timer
    // takes anything from a few µs to over a millisecond of real time, by where in its
    // millisecond it was set: a lone timer timed in the caller is no measure of the one a host
    // waits for. Each call's task times its own timer, and the call is charged what is above it.
    overTimer: true,
    timerInHost: true,
    maxSamples: { quick: 40, full: 300 },
    step:
      ({ instance, timed }) =>
      () => {
        const started = performance.now()
        const timer = instance.call('timedSleep', 1)
        const wallUs = (performance.now() - started) * 1000
        if (typeof timer !== 'number' || !(timer > 0 && timer <= wallUs))
          throw new Error(`timedSleep(1) returned ${timer}, not the µs its timer took`)
        timed.timerUs.push(timer)
        timed.overUs.push(wallUs - timer)
      },
  },
  {
    name: 'small-object',
    about: 'a small nested record (six fields, two arrays) in and back, back to back',
    unit: 'µs/call',
    figure: 'usPerCall',
    maxSamples: { quick: 10_000, full: 100_000 },
    step:
      ({ instance }) =>
      () =>
        expectRecord(instance.call('echo', record)),
  },
  {
    name: 'payload-100k',
    about: 'a 100 KiB string in and back',
    unit: 'µs/call',
    figure: 'usPerCall',
    maxSamples: { quick: 500, full: 5_000 },
    step:
      ({ instance }) =>
      () =>
        expectEqual(/** @type {string} */ (instance.call('echo', payload)), payload, 'echo'),
  },
  {
    name: 'buffer-1m',
    about: 'a 1 MiB Uint8Array in and back',
    unit: 'µs/call',
    figure: 'usPerCall',
    bytesPerCall: 2 * bytes.length,
    maxSamples: { quick: 30, full: 300 },
    probe(instance) {
      const small = new Uint8Array(16).fill(7)
      expectBytes(instance.call('echo', small), small)
    },
    step:
      ({ instance }) =>
      () =>
        expectBytes(instance.call('echo', bytes), bytes),
  },
  {
    name: 'startup',
    about: 'a new runner (or sync function) to its first result, cold, and the RSS it adds',
    unit: 'ms to first result',
    figure: 'coldMs',
    fresh: true,
    // One cold start spreads by 10-20% on a busy 2-core VM; the mean of a few a round ranks
    // subjects a few percent apart.
    freshPerRound: { quick: 1, full: 8 },
  },
  {
    name: 'keep-alive',
    about:
      'the task fetches from a loopback HTTP server through a keep-alive agent in module scope',
    unit: 'µs/call',
    figure: 'usPerCall',
    needsServer: true,
    maxSamples: { quick: 200, full: 2_000 },
    step:
      ({ instance, port }) =>
      () =>
        expectEqual(instance.call('fetchLocal', port), 2, 'fetchLocal'),
  },
  {
    name: 'io-batch',
    about: `${ioBatch.calls} calls that each await a ${ioBatch.sleepMs} ms timer, in one blocking wait (peers loop)`,
    unit: 'ms/batch',
    figure: 'msPerBatch',
    timerMs: ioBatch.sleepMs,
    maxSamples: { quick: 5, full: 30 },
    minSamples: 1,
    step(ctx) {
      const inputs = Array.from({ length: ioBatch.calls }, () => ioBatch.sleepMs)
      return batchStep(ctx, {
        method: 'all',
        args: () => [inputs.map((ms) => ['sleep', ms])],
        name: 'sleep',
        inputs,
        check: (value) => expectEqual(value, ioBatch.sleepMs, 'sleep'),
      })
    },
  },
  {
    name: 'cpu-map',
    about: `${cpuMap.items} items of ~25 ms CPU each, mapped in one blocking wait (peers loop)`,
    unit: 'ms/batch',
    figure: 'msPerBatch',
    maxSamples: { quick: 3, full: 10 },
    minSamples: 1,
    async prepare() {
      const { crunch } = await import('./tasks/impl.mjs')
      return { checksum: await crunch(cpuMap.rounds) }
    },
    step(ctx) {
      const inputs = Array.from({ length: cpuMap.items }, () => cpuMap.rounds)
      return batchStep(ctx, {
        method: 'map',
        args: () => ['crunch', inputs],
        name: 'crunch',
        inputs,
        check: (value) => expectEqual(value, ctx.prepared.checksum, 'crunch'),
      })
    },
  },
]

export const workloadNames = workloads.map((workload) => workload.name)

/** @param {string} name */
export function findWorkload(name) {
  const workload = workloads.find((candidate) => candidate.name === name)
  if (!workload) throw new Error(`unknown workload ${name}; known: ${workloadNames.join(', ')}`)
  return workload
}
