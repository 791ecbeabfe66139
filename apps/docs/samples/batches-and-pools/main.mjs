import { workerBackend } from '@palitra/backend-worker'
import { createRunner } from '@palitra/core'

const runner = createRunner(new URL('./tasks.mjs', import.meta.url), {
  backend: workerBackend({ pool: { size: 2 } }),
  timeout: 10_000,
})
console.log('parallel hosts:', runner.backend.capabilities.parallel)

// #region all
// One blocking wait for three calls that run concurrently: ~50 ms, not ~150 ms.
const [apple, pear, plum] = runner.all([
  ['fetchPrice', 'apple'],
  ['fetchPrice', 'pear'],
  ['fetchPrice', 'plum'],
])
console.log(apple, pear, plum) // 1.2 0.9 2.5
// #endregion all

// #region all-settled
// Every outcome, failures included, in order.
const outcomes = runner.allSettled([
  ['fetchPrice', 'apple'],
  ['fetchPrice', 'durian'],
])
for (const outcome of outcomes) {
  console.log(outcome.status === 'fulfilled' ? outcome.value : outcome.reason.message)
}
// 1.2
// no price for durian
// #endregion all-settled

// #region all-rejects
// all() throws the first rejection as itself; the calls still running are aborted.
try {
  runner.all([
    ['fetchPrice', 'durian'],
    ['fetchPrice', 'apple'],
  ])
} catch (error) {
  console.log(error instanceof RangeError, error.message) // true no price for durian
}
// #endregion all-rejects

// #region map
// One task over many inputs, at most `concurrency` at a time, results in input order.
const fingerprints = runner.map('fingerprint', ['a', 'b', 'c', 'd'], { concurrency: 2 })
console.log(fingerprints.length) // 4
// #endregion map

runner.close()
