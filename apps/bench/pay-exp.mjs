import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const tasks = new URL('./src/tasks/impl.mjs', import.meta.url)
const big = 'x'.repeat(100 * 1024)
const spins = JSON.parse(process.argv[2] ?? '["default"]')
setImmediate(() => {
  for (const spin of spins) {
    const r = createRunner(tasks, { backend: workerBackend(spin === 'default' ? {} : { spin }) })
    r.call('echo', big)
    const res = []
    for (let k = 0; k < 5; k++) {
      const t = performance.now(); const n = 2000
      for (let i = 0; i < n; i++) r.call('echo', big)
      res.push(((performance.now() - t) * 1000 / n).toFixed(1))
    }
    console.log(JSON.stringify(spin), res.join(' '))
    r.close()
  }
})
