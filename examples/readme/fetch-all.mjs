// fetch-all.mjs

import { workerBackend } from '@palitra/backend-worker'
import { createRunner } from '@palitra/core'

const site = process.argv[2] ?? 'http://localhost:8080'
const runner = createRunner(new URL('./fetch-tasks.mjs', import.meta.url), {
  backend: workerBackend(),
})

// Sync code, three requests at once: one blocking wait, as long as the slowest of them.
const [a, b, c] = runner.all(
  [
    ['fetchText', `${site}/a`],
    ['fetchText', `${site}/b`],
    ['fetchText', `${site}/c`],
  ],
  { timeout: 5_000 }, // one deadline for the whole batch
)
console.log(a, b, c)

// One task over many inputs, at most two requests in flight.
const pages = ['/d', '/e', '/f', '/g'].map((path) => site + path)
console.log(runner.map('fetchText', pages, { concurrency: 2 }))

// Every outcome, failures included.
const outcomes = runner.allSettled([
  ['fetchText', `${site}/h`],
  ['fetchText', `${site}/missing`],
])
console.log(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason.message)))

runner.close()
