// One measurement, in its own process: node measure.js <subject> <workload> <quick 0|1> [port]
// Prints one JSON line. A process per measurement keeps a subject that hangs or leaks from
// touching the others, and gives startup and memory figures a clean slate.
import { setTimeout as delay } from 'node:timers/promises'
import { findSubject } from './subjects/index.js'
import { findWorkload } from './workloads.js'

const [subjectName, workloadName, quickFlag, portText] = process.argv.slice(2)
const quick = quickFlag === '1'
const report = (result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
}

const subject = findSubject(subjectName)
const workload = findWorkload(workloadName)

async function timerBaselineUs() {
  const samples = []
  for (let i = 0; i < 30; i++) {
    const started = performance.now()
    await delay(1)
    samples.push((performance.now() - started) * 1000)
  }
  samples.sort((a, b) => a - b)
  return samples[samples.length >> 1]
}

try {
  await subject.load?.()
} catch (error) {
  report({ unavailable: `cannot load: ${error.message.split('\n')[0]}` })
}
const baseline = workload.name === 'timer-1ms' ? await timerBaselineUs() : 0

// Measure from a macrotask, never inside a promise job: deasync-based subjects cannot block there.
setImmediate(() => {
  let instance
  try {
    if (!workload.fresh) {
      instance = subject.create()
      instance.call('inc', 0)
    }
  } catch (error) {
    const unavailable = error.code === 'ERR_PALITRA_UNAVAILABLE'
    report(unavailable ? { unavailable: error.message } : { error: error.message.split('\n')[0] })
  }
  try {
    const metrics = workload.run({
      subject,
      call: instance?.call,
      budgetMs: quick ? 120 : 300,
      warmupMs: quick ? 150 : 300,
      quick,
      port: Number(portText),
      timerBaselineUs: baseline,
    })
    instance?.close()
    report({ metrics })
  } catch (error) {
    report({ error: (error.message ?? String(error)).split('\n')[0] })
  }
})
