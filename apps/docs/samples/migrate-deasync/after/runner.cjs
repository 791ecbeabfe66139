// The same code on a runner: deasync in-process today, the worker backend tomorrow, by one option.
const path = require('node:path')
const { createRunner } = require('@palitra/core')

const runner = createRunner(path.join(__dirname, 'tasks.mjs'), {
  backend: process.env.LOOKUP_BACKEND ?? 'deasync',
  timeout: 5000,
})

console.log(runner.backend.name, runner.call('lookup', 'localhost'))
// deasync only: run an inline closure, the closest thing to Python's palitra.run(coro)
if (runner.backend.capabilities.closures) {
  console.log(runner.run(async (host) => `${host} is local`, 'localhost'))
}
runner.close()
