import { createRunner } from '@palitra/core'
import { workerBackend } from '@palitra/backend-worker'
const tasks = new URL('./src/tasks/impl.mjs', import.meta.url)
const big = 'x'.repeat(100 * 1024)
setImmediate(() => {
  const r = createRunner(tasks, { backend: workerBackend() })
  for (let i = 0; i < 500; i++) r.call('echo', big)
  globalThis.__cs = 0; globalThis.__cw = 0
  const d = { spin: [], sleep: [] }
  for (let i = 0; i < 5000; i++) {
    const s0 = globalThis.__cs, t = performance.now()
    r.call('echo', big)
    const us = (performance.now() - t) * 1000
    ;(globalThis.__cs > s0 ? d.spin : d.sleep).push(us)
  }
  for (const [k, v] of Object.entries(d)) { v.sort((a, b) => a - b); const q = (p) => v[Math.floor(p * (v.length - 1))]?.toFixed(0); console.log(k, v.length, 'p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'mean', (v.reduce((a, b) => a + b, 0) / v.length).toFixed(0)) }
  r.close()
})
