import { treeRssMb } from './machine.js'

/**
 * Workloads run inside a measurement child, synchronously, from a macrotask. Each returns
 * `{ usPerCall, calls, ...extra }`; calls are calibrated by a time budget per round, so a subject
 * that costs 50 ms a call gets a handful of calls instead of a guess. Every subject first gets the
 * same warm-up time, so the figures are steady-state costs (start-up is its own workload): the
 * first thousands of calls of a JIT-compiled path run far slower than the rest.
 */

/** Call `step(i)` until `budgetMs` has passed or `maxCalls` were made; returns µs per call. */
function timed(step, { budgetMs, warmupMs, maxCalls, minCalls = 3, onTimedStart }) {
  const warmUntil = performance.now() + warmupMs
  for (let i = 0; performance.now() < warmUntil && i < maxCalls; i++) step(i)
  onTimedStart?.()
  let calls = 0
  const started = performance.now()
  const stopAt = started + budgetMs
  while (
    calls < maxCalls &&
    (calls < minCalls || (calls & 15) !== 0 || performance.now() < stopAt)
  ) {
    step(calls)
    calls++
  }
  return { usPerCall: ((performance.now() - started) * 1000) / calls, calls }
}

function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`)
}

const busyWait = (ms) => {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

export const workloads = [
  {
    name: 'tight-loop',
    about: 'an async n => n + 1, back to back',
    unit: 'µs/call',
    run({ call, budgetMs, warmupMs, quick }) {
      return timed((i) => expectEqual(call('inc', i), i + 1, 'inc'), {
        budgetMs,
        warmupMs,
        maxCalls: quick ? 5_000 : 20_000,
      })
    },
  },
  {
    name: 'spaced',
    about:
      'the same with ~200 µs of caller work between calls (a linter visiting files); caller work subtracted',
    unit: 'µs/call',
    run({ call, budgetMs, warmupMs, quick }) {
      let callerMs = 0
      const timedCalls = timed(
        (i) => {
          const before = performance.now()
          busyWait(0.2)
          callerMs += performance.now() - before
          expectEqual(call('inc', i), i + 1, 'inc')
        },
        {
          budgetMs,
          warmupMs,
          maxCalls: quick ? 300 : 2_000,
          onTimedStart: () => {
            callerMs = 0
          },
        },
      )
      const result = { ...timedCalls, callerUs: (callerMs * 1000) / timedCalls.calls }
      return { ...result, usPerCall: Math.max(0, result.usPerCall - result.callerUs) }
    },
  },
  {
    name: 'timer-1ms',
    about: 'the task awaits a 1 ms timer; overhead above the timer',
    unit: 'µs overhead',
    run({ call, budgetMs, warmupMs, quick, timerBaselineUs }) {
      const result = timed(() => expectEqual(call('sleep', 1), 1, 'sleep'), {
        budgetMs,
        warmupMs,
        maxCalls: quick ? 50 : 300,
      })
      return {
        ...result,
        totalUs: result.usPerCall,
        timerUs: timerBaselineUs,
        usPerCall: Math.max(0, result.usPerCall - timerBaselineUs),
      }
    },
  },
  {
    name: 'payload-100k',
    about: 'a 100 KB string in and back',
    unit: 'µs/call',
    run({ call, budgetMs, warmupMs, quick }) {
      const text = 'palitra '.repeat(12_800)
      return timed(() => expectEqual(call('echo', text).length, text.length, 'echo'), {
        budgetMs,
        warmupMs,
        maxCalls: quick ? 300 : 2_000,
      })
    },
  },
  {
    name: 'buffer-1m',
    about: 'a 1 MiB Uint8Array in and back',
    unit: 'µs/call',
    run({ call, budgetMs, warmupMs, quick }) {
      const bytes = new Uint8Array(1 << 20).fill(7)
      const result = timed(
        () => {
          const back = call('echo', bytes)
          if (!(back instanceof Uint8Array) || back.length !== bytes.length) {
            throw new Error(
              `echo of a Uint8Array came back as ${Object.prototype.toString.call(back)}`,
            )
          }
        },
        { budgetMs, warmupMs, maxCalls: quick ? 50 : 300 },
      )
      return { ...result, mbPerSec: (2 * bytes.length) / result.usPerCall }
    },
  },
  {
    name: 'startup',
    about: 'a new runner to its first result (cold), and memory added per runner',
    unit: 'ms to first result',
    fresh: true,
    run({ subject, quick }) {
      const count = quick ? 2 : 4
      const rssBefore = treeRssMb(process.pid)
      const opened = []
      const coldMs = []
      for (let i = 0; i < count; i++) {
        const started = performance.now()
        const instance = subject.create()
        expectEqual(instance.call('inc', i), i + 1, 'inc')
        coldMs.push(performance.now() - started)
        opened.push(instance)
      }
      const rssPerRunnerMb = (treeRssMb(process.pid) - rssBefore) / count
      for (const instance of opened) instance.close()
      coldMs.sort((a, b) => a - b)
      return { usPerCall: coldMs[0] * 1000, coldMs: coldMs[0], rssPerRunnerMb, calls: count }
    },
  },
  {
    name: 'keep-alive',
    about:
      'the task fetches from a local HTTP server through a keep-alive agent: cost, and TCP connections the server saw',
    unit: 'µs/call',
    needsServer: true,
    run({ call, budgetMs, warmupMs, quick, port }) {
      return timed(() => expectEqual(call('fetchLocal', port), 2, 'fetchLocal'), {
        budgetMs,
        warmupMs,
        maxCalls: quick ? 200 : 2_000,
      })
    },
  },
]

export const workloadNames = workloads.map((workload) => workload.name)

export function findWorkload(name) {
  const workload = workloads.find((candidate) => candidate.name === name)
  if (!workload) throw new Error(`unknown workload ${name}; known: ${workloadNames.join(', ')}`)
  return workload
}
