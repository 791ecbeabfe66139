import { fileURLToPath } from 'node:url'
import { Tinypool } from 'tinypool'

const filename = fileURLToPath(new URL('./src/tasks/tinypool-worker.mjs', import.meta.url))
for (const c of [1, 128]) {
  const pool = new Tinypool({ filename, minThreads: 2, maxThreads: 2, concurrentTasksPerWorker: c })
  for (let r = 0; r < 3; r++) {
    let t = performance.now()
    await Promise.all(Array.from({ length: 100 }, () => pool.run({ name: 'sleep', arg: 10 })))
    const io = performance.now() - t
    t = performance.now()
    await Promise.all(
      Array.from({ length: 16 }, () => pool.run({ name: 'crunch', arg: 15_000_000 })),
    )
    console.log(c, 'io', io.toFixed(1), 'cpu', (performance.now() - t).toFixed(1))
  }
  await pool.destroy()
}
const { crunch } = await import('./src/tasks/impl.mjs')
const t = performance.now()
for (let i = 0; i < 16; i++) await crunch(15_000_000)
console.log('serial', performance.now() - t)
