// A measurement child: `node child/measure.js <subject> <workload>`, driven over IPC by the CLI
// (see ../session.js). One child per subject and workload keeps a subject that hangs, crashes
// or leaks away from the others, and gives start-up and memory figures a clean slate.
//
// Every blocking call runs inside a setImmediate callback, a macrotask, never inside a promise
// job: deasync-raw and palitra's deasync backend pump the event loop until the task's promise
// settles, and a promise cannot settle while the caller blocks inside a microtask (after an
// `await`, in a `.then`) — the wait would never end. So the async steps below (loading the
// subject, sampling the timer) finish first, and only then is the blocking work scheduled.
import { setTimeout as delay } from 'node:timers/promises'
import { treeRssMb } from '../machine.js'
import { loadSubject } from '../subjects/index.js'
import { tasksUrl } from '../tasks/url.js'
import { findWorkload } from '../workloads.js'

const [subjectName, workloadName] = process.argv.slice(2)
const workload = findWorkload(workloadName)

/** @param {Record<string, unknown>} message */
const send = (message) => new Promise((resolve) => process.send?.(message, resolve))

/** @param {unknown} error */
function failure(error) {
  const err = /** @type {{ code?: string, message?: string }} */ (error ?? {})
  const text = String(err.message ?? error).split('\n')[0]
  if (err.code === 'ERR_PALITRA_UNAVAILABLE') return { type: 'unavailable', reason: text }
  return { type: 'failed', reason: err.code ? `${err.code}: ${text}` : text }
}

/** What `await setTimeout(1)` takes here, for the timer workload's overhead. */
async function timerBaselineUs() {
  const samples = []
  for (let i = 0; i < 25; i++) {
    const started = performance.now()
    await delay(1)
    samples.push((performance.now() - started) * 1000)
  }
  samples.sort((a, b) => a - b)
  return samples[samples.length >> 1]
}

/**
 * Run `work` from a macrotask and send what it returns (or why it failed).
 * @param {() => Record<string, unknown>} work
 */
function blocking(work) {
  setImmediate(() => {
    let reply
    try {
      reply = work()
    } catch (error) {
      reply = failure(error)
    }
    send(reply)
  })
}

const subject = await loadSubject(subjectName)
/** @type {import('../subjects/index.js').Instance | undefined} */
let instance
let port = 0

const handlers = {
  /** Create the runner, check its first result, and warm it up. */
  open(/** @type {any} */ message) {
    port = message.port ?? 0
    blocking(() => {
      instance = subject.create(tasksUrl)
      const first = instance.call('inc', 41)
      if (first !== 42) throw new Error(`inc(41) returned ${first}`)
      workload.probe?.(instance.call)
      workload.round?.(
        { call: instance.call, port, timerUs: 1000 },
        { ...message.budget, budgetMs: 0, minCalls: 0 },
      )
      return { type: 'ready', note: subject.note?.() }
    })
  },
  /** One timed round on the open runner. */
  async round(/** @type {any} */ message) {
    const timerUs = workload.needsTimer ? await timerBaselineUs() : 0
    blocking(() => {
      if (!instance || !workload.round) throw new Error('round before open')
      const metrics = workload.round({ call: instance.call, port, timerUs }, message.budget)
      return { type: 'result', metrics }
    })
  },
  /** A new runner to its first result; this process has loaded the library and nothing else. */
  startup() {
    blocking(() => {
      const rssBefore = treeRssMb(process.pid)
      const started = performance.now()
      instance = subject.create(tasksUrl)
      const first = instance.call('inc', 1)
      const coldMs = performance.now() - started
      if (first !== 2) throw new Error(`inc(1) returned ${first}`)
      const rssMb = treeRssMb(process.pid) - rssBefore
      return { type: 'result', metrics: { usPerCall: coldMs * 1000, coldMs, rssMb, calls: 1 } }
    })
  },
  close() {
    setImmediate(() => {
      try {
        instance?.close()
      } finally {
        process.exit(0)
      }
    })
  },
}

process.on('message', (/** @type {any} */ message) => {
  const type = /** @type {keyof typeof handlers} */ (message?.type ?? '')
  if (Object.hasOwn(handlers, type)) handlers[type](message)
})
process.on('disconnect', () => process.exit(0))
await send({ type: 'loaded', unavailable: subject.available() })
