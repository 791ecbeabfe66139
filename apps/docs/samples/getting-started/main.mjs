// main.mjs: plain synchronous code calling the tasks.
import { workerBackend } from '@palitra/backend-worker'
import { createRunner } from '@palitra/core'

const runner = createRunner(new URL('./tasks.mjs', import.meta.url), {
  backend: workerBackend(),
  timeout: 10_000, // ms per call
})

console.log(runner.call('greet', 'Ada')) // Hello, Ada (visit 1)
console.log(runner.tasks.greet('Ada')) // Hello, Ada (visit 2): the state was kept
console.log([...runner.iterate('countdown', 3)]) // [ 3, 2, 1 ]
console.log(runner.state) // ready

runner.close()
console.log(runner.state) // closed
