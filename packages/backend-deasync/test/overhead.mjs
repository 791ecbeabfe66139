// Per-call overhead against deasync used raw, on a tight loop of an async `n => n + 1`.
// Run after a build: `node test/overhead.mjs`. Prints medians of alternating rounds; never a test
// (timings are the bench app's business), so nothing here asserts.
import { createRequire } from 'node:module'
import { awaitSync, deasyncBackend } from '@palitra/backend-deasync'
import { createRunner } from '@palitra/core'

const deasync = createRequire(import.meta.url)('deasync')
const calls = 200_000
const rounds = 9
const inc = async (n) => n + 1

/** What a hand-written deasync call looks like: the floor. */
function raw(n) {
  let done = false
  let value
  inc(n).then((result) => {
    done = true
    value = result
  })
  deasync.loopWhile(() => !done)
  return value
}

function microsPerCall(fn) {
  const started = performance.now()
  let sum = 0
  for (let i = 0; i < calls; i++) sum += fn(i)
  if (sum !== (calls * (calls + 1)) / 2) throw new Error(`wrong sum ${sum}`)
  return ((performance.now() - started) * 1000) / calls
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]

setImmediate(() => {
  const runner = createRunner(new URL('./fixtures/overhead-tasks.mjs', import.meta.url), {
    backend: deasyncBackend(),
  })
  const subjects = {
    'raw deasync.loopWhile': raw,
    'awaitSync(inc(n))': (n) => awaitSync(inc(n)),
    "runner.call('inc', n)": (n) => runner.call('inc', n),
    'runner.run(inc, n)': (n) => runner.run(inc, n),
  }
  const times = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]))
  for (const fn of Object.values(subjects)) microsPerCall(fn) // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(subjects)) times[name].push(microsPerCall(fn))
  }
  const floor = median(times['raw deasync.loopWhile'])
  for (const [name, values] of Object.entries(times)) {
    const us = median(values)
    console.log(`${name.padEnd(24)} ${us.toFixed(3)} µs/call  ${(us / floor).toFixed(2)}x raw`)
  }
  runner.close()
})
