import '@palitra/backend-worker'
import { createRunner } from '@palitra/core'
const tasks = new URL('./src/tasks/impl.mjs', import.meta.url)
globalThis.__t = (l) => process._rawDebug(l, (performance.timeOrigin + performance.now() - globalThis.__t0).toFixed(2))
setImmediate(() => {
  globalThis.__t0 = performance.timeOrigin + performance.now()
  const r = createRunner(tasks, { backend: 'worker' })
  __t('created')
  r.call('inc', 1)
  __t('first result')
  r.close()
})
