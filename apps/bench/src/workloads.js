/**
 * The workloads. Names, descriptions and units are read by the CLI; `round` runs inside a
 * measurement child, synchronously, from a macrotask (see child/measure.js).
 *
 * A round calls until a time budget is spent (at least `minCalls`, at most the workload's
 * `maxCalls`), so a subject that costs 200 ms a call gets a few calls rather than a guessed
 * figure, and a fast one gets up to 20k.
 *
 * @typedef {object} Budget
 * @property {number} budgetMs  time to spend calling in one round
 * @property {number} warmupMs  untimed calls before the timed ones
 * @property {number} minCalls  calls in a round even when one call exceeds the budget
 * @property {boolean} quick  smaller call caps
 *
 * @typedef {object} RoundContext
 * @property {(name: string, arg: unknown) => unknown} call
 * @property {number} port  the local HTTP server (keep-alive only)
 * @property {number} timerUs  what `await setTimeout(1)` takes in this process (timer-1ms only)
 *
 * @typedef {{ usPerCall: number, calls: number } & Record<string, number>} RoundResult
 *
 * @typedef {object} Workload
 * @property {string} name
 * @property {string} about  one line for the table and the chart
 * @property {string} unit  what `usPerCall` means for this workload
 * @property {boolean} [fresh]  measured on a new runner in a new process each round (startup)
 * @property {boolean} [needsServer]  the local HTTP server must run
 * @property {boolean} [needsTimer]  the child measures the timer baseline before each round
 * @property {number} [bytesPerCall]  bytes sent plus received per call, for MB/s
 * @property {(call: RoundContext['call']) => void} [probe]  a cheap check that the subject can
 *   carry this workload's values at all, run before the (possibly slow) warm-up
 * @property {(ctx: RoundContext, budget: Budget) => RoundResult} [round]
 */

/**
 * Call `step(i)` for the warm-up time, then until `budgetMs` has passed; µs per timed call.
 * @param {(i: number) => void} step
 * @param {Budget & { maxCalls: number, onTimedStart?: () => void }} options
 */
export function timedCalls(step, { budgetMs, warmupMs, minCalls, maxCalls, onTimedStart }) {
  const warmUntil = performance.now() + warmupMs
  for (let i = 0; i < maxCalls && performance.now() < warmUntil; i++) step(i)
  onTimedStart?.()
  if (budgetMs === 0 && minCalls === 0) return { usPerCall: 0, calls: 0 } // a warm-up only
  const started = performance.now()
  const stopAt = started + budgetMs
  let calls = 0
  let now = started
  while (calls < maxCalls) {
    step(calls)
    calls++
    // Reading the clock costs ~50 ns: every call while calls are few, then every 16th.
    if (calls < 16 || (calls & 15) === 0) {
      now = performance.now()
      if (calls >= minCalls && now >= stopAt) break
    }
  }
  if (calls >= 16 && (calls & 15) !== 0) now = performance.now()
  return { usPerCall: ((now - started) * 1000) / calls, calls }
}

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

/** @type {Workload[]} */
export const workloads = [
  {
    name: 'tight-loop',
    about: 'an async n => n + 1, called back to back',
    unit: 'µs/call',
    round: ({ call }, budget) =>
      timedCalls((i) => expectEqual(call('inc', i), i + 1, 'inc'), {
        ...budget,
        maxCalls: budget.quick ? 3_000 : 20_000,
      }),
  },
  {
    name: 'spaced',
    about: 'the same with ~200 µs of caller work between calls; the caller work is subtracted',
    unit: 'µs/call',
    round({ call }, budget) {
      let callerMs = 0
      const result = timedCalls(
        (i) => {
          const before = performance.now()
          busyWait(0.2)
          callerMs += performance.now() - before
          expectEqual(call('inc', i), i + 1, 'inc')
        },
        {
          ...budget,
          maxCalls: budget.quick ? 200 : 2_000,
          onTimedStart: () => {
            callerMs = 0
          },
        },
      )
      const callerUs = (callerMs * 1000) / result.calls
      return { ...result, callerUs, usPerCall: result.usPerCall - callerUs }
    },
  },
  {
    name: 'timer-1ms',
    about: 'the task awaits a 1 ms timer; the overhead above that timer',
    unit: 'µs over the timer',
    needsTimer: true,
    round({ call, timerUs }, budget) {
      const result = timedCalls(() => expectEqual(call('sleep', 1), 1, 'sleep'), {
        ...budget,
        maxCalls: budget.quick ? 40 : 300,
      })
      return {
        ...result,
        totalUs: result.usPerCall,
        timerUs,
        usPerCall: result.usPerCall - timerUs,
      }
    },
  },
  {
    name: 'payload-100k',
    about: 'a 100 KiB string in and back',
    unit: 'µs/call',
    round: ({ call }, budget) =>
      timedCalls(
        () => expectEqual(/** @type {string} */ (call('echo', payload)), payload, 'echo'),
        {
          ...budget,
          maxCalls: budget.quick ? 200 : 2_000,
        },
      ),
  },
  {
    name: 'buffer-1m',
    about: 'a 1 MiB Uint8Array in and back',
    unit: 'µs/call',
    bytesPerCall: 2 * bytes.length,
    probe(call) {
      const small = new Uint8Array(16).fill(7)
      expectBytes(call('echo', small), small)
    },
    round: ({ call }, budget) =>
      timedCalls(() => expectBytes(call('echo', bytes), bytes), {
        ...budget,
        maxCalls: budget.quick ? 30 : 300,
      }),
  },
  {
    name: 'startup',
    about: 'a new runner (or sync function) to its first result, cold, and the RSS it adds',
    unit: 'ms to first result',
    fresh: true,
  },
  {
    name: 'keep-alive',
    about:
      'the task fetches from a loopback HTTP server through a keep-alive agent in module scope',
    unit: 'µs/call',
    needsServer: true,
    round: ({ call, port }, budget) =>
      timedCalls(() => expectEqual(call('fetchLocal', port), 2, 'fetchLocal'), {
        ...budget,
        maxCalls: budget.quick ? 100 : 1_000,
      }),
  },
]

export const workloadNames = workloads.map((workload) => workload.name)

/** @param {string} name */
export function findWorkload(name) {
  const workload = workloads.find((candidate) => candidate.name === name)
  if (!workload) throw new Error(`unknown workload ${name}; known: ${workloadNames.join(', ')}`)
  return workload
}
