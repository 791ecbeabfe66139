const which = process.argv[2]
const tasks = new URL('./src/tasks/impl.mjs', import.meta.url)
const mod = which === 'ms' ? (await import('make-synchronized')).default : (await import('@palitra/core'))
if (which === 'pw') await import('@palitra/backend-worker')
setImmediate(() => {
  const t0 = performance.now()
  if (which === 'ms') { const f = mod(tasks); f.inc(1) } else { const r = mod.createRunner(tasks, { backend: 'worker' }); r.call('inc', 1) }
  console.log('total', (performance.now() - t0).toFixed(1))
  process.exit(0)
})
