import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const tasks = new URL('./src/tasks/impl.mjs', import.meta.url)
setImmediate(() => {
  const r = createRunner(tasks, { backend: workerBackend() })
  const res = []
  for (let k = 0; k < 5; k++) {
    const t = performance.now(); const n = 300000
    for (let i = 0; i < n; i++) r.call('inc', i)
    res.push(((performance.now() - t) * 1000 / n).toFixed(2))
  }
  console.log(res.join(' '))
  r.close()
})
