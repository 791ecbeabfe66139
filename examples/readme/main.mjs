// main.mjs

import { workerBackend } from '@palitra/backend-worker'
import { createRunner } from '@palitra/core'

const runner = createRunner(new URL('./tasks.mjs', import.meta.url), {
  backend: workerBackend(),
  timeout: 10_000,
})

console.log(runner.call('readJson', 'package.json').name) // a synchronous result
console.log(runner.tasks.readJson('package.json').private) // typed proxy, same call
console.log(runner.call('cachedFiles')) // state kept: [ 'package.json' ]

for (const line of runner.iterate('lines', 'a\nb')) console.log(line)

runner.close() // or `using runner = createRunner(…)` (TypeScript, Node 24)
