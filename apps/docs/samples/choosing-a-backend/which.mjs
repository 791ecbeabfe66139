// Which backend auto-resolution picks here, and what it can do.
import { createRunner } from '@palitra/core'

const runner = createRunner(new URL('./tasks.mjs', import.meta.url))
const { name, capabilities } = runner.backend
const host = runner.call('where')
const runtime = globalThis.Bun ? 'Bun' : globalThis.Deno ? 'Deno' : `Node ${process.version}`
console.log(`${runtime}: ${name} backend, tasks in ${describe(host)}`)
console.log(`isolation: ${capabilities.isolation}, closures: ${capabilities.closures}`)
runner.close()

function describe({ pid, thread }) {
  if (pid !== process.pid) return 'a child process'
  return thread === 0 ? 'this thread' : 'a worker thread'
}
