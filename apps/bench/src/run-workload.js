// One workload across the chosen subjects: every subject once a round, in a new order each round,
// each subject in its own child.
import { budgets } from './args.js'
import { startLocalServer } from './local-server.js'
import { Session } from './session.js'
import { runsOn, subjectInfo } from './subjects/index.js'
import { summarize } from './summarize.js'

/**
 * @typedef {import('./summarize.js').Outcome} Outcome
 * @typedef {import('./local-server.js').LocalServer} LocalServer
 */

/**
 * Subjects in round `round`'s order: a new shuffle each round, drawn from `seed`. Each subject
 * follows a different one from round to round: under a fixed rotation it always followed the
 * same one, and what that one leaves behind (processes spawned per call and exiting, memory
 * handed back to the VM's host) was charged to it round after round.
 * @template T
 * @param {T[]} items
 * @param {number} round
 * @param {number} seed
 */
export function roundOrder(items, round, seed) {
  const random = mulberry32((seed ^ Math.imul(round + 1, 0x9e3779b1)) >>> 0)
  const order = [...items]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same orders, so a run can be
 * repeated as it was; 32 bits of state are plenty for shuffling a dozen subjects.
 * @param {number} state
 */
function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * @param {import('./session.js').Reply} reply
 * @returns {Outcome['status']}
 */
const statusOf = (reply) =>
  reply.type === 'unavailable' ? 'unavailable' : reply.type === 'timeout' ? 'timeout' : 'failed'

/**
 * Count what the HTTP server saw while `work` ran, into `outcome.server`.
 * @template T
 * @param {LocalServer | undefined} server
 * @param {Outcome} outcome
 * @param {() => Promise<T>} work
 */
async function counted(server, outcome, work) {
  if (!server) return work()
  const before = await server.counts()
  const result = await work()
  const after = await server.counts()
  outcome.server ??= { connections: 0, requests: 0 }
  outcome.server.connections += after.connections - before.connections
  outcome.server.requests += after.requests - before.requests
  return result
}

/**
 * Steady-state workloads: one child per subject holds one runner for all rounds.
 * @param {import('./workloads.js').Workload} workload
 * @param {import('./args.js').Options} options
 * @param {Map<string, Outcome>} outcomes
 * @param {(text: string) => void} progress
 */
async function steadyRounds(workload, options, outcomes, progress) {
  const { open, round } = budgets(options)
  const roundTimeout = options.timeoutMs + round.budgetMs + round.warmupMs
  const server = workload.needsServer ? await startLocalServer() : undefined
  /** @type {Map<string, Session>} */
  const sessions = new Map()
  try {
    // Start every child at once (they only load modules), then open runners one at a time.
    for (const [subject, outcome] of outcomes)
      if (outcome.status === 'ok') sessions.set(subject, new Session(subject, workload.name))
    for (const [subject, session] of sessions) {
      const outcome = /** @type {Outcome} */ (outcomes.get(subject))
      progress(`${subject}: starting`)
      const loaded = await session.loaded
      if (loaded.type !== 'loaded' || loaded.unavailable) {
        Object.assign(outcome, {
          status: loaded.type === 'loaded' ? 'unavailable' : statusOf(loaded),
          reason: loaded.unavailable ?? loaded.reason,
        })
        continue
      }
      const ready = await counted(server, outcome, () =>
        session.ask({ type: 'open', budget: open, port: server?.port }, options.timeoutMs),
      )
      if (ready.type === 'ready') outcome.note = ready.note
      else Object.assign(outcome, { status: statusOf(ready), reason: ready.reason })
    }
    for (let r = 0; r < options.rounds; r++) {
      for (const subject of roundOrder([...sessions.keys()], r, options.seed)) {
        const outcome = /** @type {Outcome} */ (outcomes.get(subject))
        if (outcome.status !== 'ok') continue
        progress(`round ${r + 1}/${options.rounds}: ${subject}`)
        const session = /** @type {Session} */ (sessions.get(subject))
        const reply = await counted(server, outcome, () =>
          session.ask({ type: 'round', budget: round }, roundTimeout),
        )
        if (reply.type === 'result') outcome.samples.push(reply.metrics)
        else Object.assign(outcome, { status: statusOf(reply), reason: reply.reason })
      }
    }
  } finally {
    await Promise.all([...sessions.values()].map((session) => session.close()))
    server?.stop()
  }
}

/**
 * Start-up: every round, each subject gets `freshPerRound` fresh processes with one cold runner
 * each, the subjects taking turns; the round's sample is the mean of its cold starts.
 * @param {import('./workloads.js').Workload} workload
 * @param {import('./args.js').Options} options
 * @param {Map<string, Outcome>} outcomes
 * @param {(text: string) => void} progress
 */
async function freshRounds(workload, options, outcomes, progress) {
  const subjects = [...outcomes.keys()]
  const perRound = workload.freshPerRound?.[options.quick ? 'quick' : 'full'] ?? 1
  for (let r = 0; r < options.rounds; r++) {
    /** @type {Map<string, Array<Record<string, number>>>} */
    const starts = new Map()
    for (let k = 0; k < perRound; k++) {
      for (const subject of roundOrder(subjects, r * perRound + k, options.seed)) {
        const outcome = /** @type {Outcome} */ (outcomes.get(subject))
        if (outcome.status !== 'ok') continue
        progress(`round ${r + 1}/${options.rounds}: ${subject}`)
        const metrics = await coldStart(subject, workload, options, outcome)
        if (metrics) starts.set(subject, [...(starts.get(subject) ?? []), metrics])
      }
    }
    for (const [subject, list] of starts) {
      const outcome = /** @type {Outcome} */ (outcomes.get(subject))
      if (outcome.status === 'ok') outcome.samples.push(meanOf(list))
    }
  }
}

/**
 * One fresh process, one cold runner: its metrics, or undefined with the outcome marked.
 * @param {string} subject
 * @param {import('./workloads.js').Workload} workload
 * @param {import('./args.js').Options} options
 * @param {Outcome} outcome
 */
async function coldStart(subject, workload, options, outcome) {
  const session = new Session(subject, workload.name)
  try {
    const loaded = await session.loaded
    const reply =
      loaded.type === 'loaded' && !loaded.unavailable
        ? await session.ask({ type: 'startup' }, options.timeoutMs)
        : loaded.type === 'loaded'
          ? { type: 'unavailable', reason: loaded.unavailable }
          : loaded
    if (reply.type === 'result') return reply.metrics
    Object.assign(outcome, { status: statusOf(reply), reason: reply.reason })
    return undefined
  } finally {
    await session.close()
  }
}

/**
 * Field by field mean of a round's cold starts; `calls` counts them.
 * @param {Array<Record<string, number>>} list
 * @returns {Record<string, number>}
 */
function meanOf(list) {
  /** @type {Record<string, number>} */
  const mean = {}
  for (const key of Object.keys(list[0] ?? {})) {
    mean[key] = list.reduce((sum, metrics) => sum + metrics[key], 0) / list.length
  }
  mean.calls = list.reduce((sum, metrics) => sum + (metrics.calls ?? 1), 0)
  return mean
}

/**
 * Measure one workload on the chosen subjects; JSON rows in table order.
 * @param {import('./workloads.js').Workload} workload
 * @param {import('./args.js').Options} options
 * @param {(text: string) => void} progress
 */
export async function runWorkload(workload, options, progress) {
  /** @type {Map<string, Outcome>} */
  const outcomes = new Map()
  for (const subject of options.subjects) {
    if (!runsOn(subject, workload.name)) continue
    const skip = subjectInfo[subject].skip?.[workload.name]
    outcomes.set(
      subject,
      skip ? { status: 'skipped', reason: skip, samples: [] } : { status: 'ok', samples: [] },
    )
  }
  if (workload.fresh) await freshRounds(workload, options, outcomes, progress)
  else await steadyRounds(workload, options, outcomes, progress)
  return summarize(workload, [...outcomes])
}
