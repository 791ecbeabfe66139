import { median, spreadPercent } from './stats.js'
import { floorSubjects, palitraSubjects, subjectInfo } from './subjects/index.js'

/**
 * What the CLI gathered for one subject on one workload.
 * @typedef {object} Outcome
 * @property {'ok' | 'unavailable' | 'failed' | 'timeout' | 'skipped'} status
 * @property {string} [reason]  why there is no figure
 * @property {string} [note]  a remark from the subject (how it works here)
 * @property {Array<Record<string, number>>} samples  one per round, from child/measure.js:
 *   `meanUs`, `p50Us`, `p99Us`, `calls` (or `coldMs`, `rssMb` for start-up), extras
 * @property {{ connections: number, requests: number }} [server]  what the HTTP server saw
 */

/** @param {number} value */
const round3 = (value) => Math.round(value * 1000) / 1000

/**
 * The JSON fields of each kind of figure: the headline, its tail, the rounds' range.
 * Start-up has one sample a round, so no tail.
 */
const fieldsOf = {
  usPerCall: { scale: 1, p50: 'p50Us', p99: 'p99Us', min: 'minUs', max: 'maxUs' },
  msPerBatch: { scale: 1 / 1000, p50: 'p50Ms', p99: 'p99Ms', min: 'minMs', max: 'maxMs' },
  coldMs: { scale: 1, p50: undefined, p99: undefined, min: 'minMs', max: 'maxMs' },
}

/**
 * The figure of a row in µs, whatever its field (for charts and ratios).
 * @param {Record<string, any>} row
 * @returns {number | null}
 */
export function figureUs(row) {
  const value = row[row.figure]
  if (typeof value !== 'number') return null
  return row.figure === 'usPerCall' ? value : value * 1000
}

/**
 * The floor each subject is held against on a workload: the bare mechanism of its kind (the
 * thread or process round trip), tinypool used directly for cpu-map, one lone timer for io-batch.
 * In-process subjects have no floor: nothing crosses a boundary.
 * @param {string} workload
 * @param {string} subject
 * @returns {string | undefined}
 */
export function floorOf(workload, subject) {
  if (workload === 'io-batch') return 'timer'
  if (workload === 'cpu-map') return 'tinypool'
  const kind = subjectInfo[subject]?.kind
  if (kind === 'thread') return 'floor-thread'
  if (kind === 'process') return 'floor-process'
  return undefined
}

/**
 * One JSON row per subject: the median of the rounds, its spread and tail, then extras; subjects
 * with no figure get `status` and the reason in `unavailable`. Ratios are to the fastest and to
 * the subject's floor.
 * @param {import('./workloads.js').Workload} workload
 * @param {Array<[string, Outcome]>} outcomes  in table order
 */
export function summarize(workload, outcomes) {
  const fields = fieldsOf[workload.figure]
  const rows = outcomes.map(([subject, outcome]) => {
    /** @type {Record<string, any>} */
    const row = {
      workload: workload.name,
      subject,
      status: outcome.status,
      unit: workload.unit,
      figure: workload.figure,
    }
    if (outcome.status !== 'ok' || outcome.samples.length === 0) {
      return {
        ...row,
        status: outcome.status === 'ok' ? 'failed' : outcome.status,
        [workload.figure]: null,
        unavailable: outcome.reason ?? 'no round finished',
        ...(outcome.note ? { note: outcome.note } : {}),
      }
    }
    const perRound = roundFigures(workload, outcome)
    row[workload.figure] = round3(median(perRound))
    row.spreadPct = round3(spreadPercent(perRound))
    if (fields.p50) {
      row[fields.p50] = round3(median(outcome.samples.map((s) => s.p50Us * fields.scale)))
      row[/** @type {string} */ (fields.p99)] = round3(
        median(outcome.samples.map((s) => s.p99Us * fields.scale)),
      )
    }
    row[fields.min] = round3(Math.min(...perRound))
    row[fields.max] = round3(Math.max(...perRound))
    row.rounds = perRound.length
    row.samples = median(outcome.samples.map((sample) => sample.calls))
    row.samplesTotal = outcome.samples.reduce((sum, sample) => sum + sample.calls, 0)
    const extra = (/** @type {string} */ field) =>
      outcome.samples.map((sample) => sample[field]).filter(Number.isFinite)
    if (extra('rssMb').length > 0) row.rssMb = round3(median(extra('rssMb')))
    if (extra('timerUs').length > 0) {
      const timerUs = median(extra('timerUs'))
      if (workload.figure === 'msPerBatch') row.timerMs = round3(timerUs / 1000)
      else row.timerUs = round3(timerUs)
    }
    if (extra('totalUs').length > 0) row.totalUs = round3(median(extra('totalUs')))
    if (workload.bytesPerCall && row.usPerCall > 0) {
      row.mbPerSec = round3(workload.bytesPerCall / row.usPerCall) // bytes per µs = MB/s
    }
    if (outcome.server) {
      row.connections = outcome.server.connections
      row.requests = outcome.server.requests
      row.requestsPerConnection = round3(
        outcome.server.requests / Math.max(1, outcome.server.connections),
      )
    }
    if (outcome.note) row.note = outcome.note
    return row
  })
  addRatios(workload, rows)
  addPeerComparison(workload, outcomes, rows)
  return rows
}

/**
 * Each round's figure of a subject, in round order.
 * @param {import('./workloads.js').Workload} workload
 * @param {Outcome} outcome
 */
function roundFigures(workload, outcome) {
  const { scale } = fieldsOf[workload.figure]
  return outcome.samples.map((sample) =>
    workload.figure === 'coldMs' ? sample.coldMs : sample.meanUs * scale,
  )
}

/**
 * For each palitra subject, the best peer of its kind (thread, process, in-process: the fastest
 * library, floors aside, tinypool too where it is the floor) as `peer`, and the two compared round by round: `pairedRatio` is the
 * median over rounds of the subject's figure over the peer's in the same round, `pairedSpreadPct`
 * the spread of those ratios. The subjects of a round run back to back, so what drifts between
 * rounds (the VM's placement, its neighbours) divides out, and the paired ratio ranks two
 * subjects the rounds' own spreads cannot tell apart. Needs the same rounds on both sides.
 * @param {import('./workloads.js').Workload} workload
 * @param {Array<[string, Outcome]>} outcomes
 * @param {Array<Record<string, any>>} rows
 */
function addPeerComparison(workload, outcomes, rows) {
  const outcomeOf = new Map(outcomes)
  for (const row of rows) {
    if (!palitraSubjects.has(row.subject) || typeof row[workload.figure] !== 'number') continue
    const kind = subjectInfo[row.subject]?.kind
    const peers = rows.filter(
      (other) =>
        !palitraSubjects.has(other.subject) &&
        !floorSubjects.has(other.subject) &&
        other.subject !== floorOf(workload.name, row.subject) &&
        subjectInfo[other.subject]?.kind === kind &&
        typeof other[workload.figure] === 'number' &&
        other[workload.figure] > 0,
    )
    if (peers.length === 0) continue
    const best = peers.reduce((a, b) => (b[workload.figure] < a[workload.figure] ? b : a))
    row.peer = best.subject
    const own = roundFigures(workload, /** @type {Outcome} */ (outcomeOf.get(row.subject)))
    const theirs = roundFigures(workload, /** @type {Outcome} */ (outcomeOf.get(best.subject)))
    if (own.length !== theirs.length || own.length === 0) continue
    const ratios = own.map((value, i) => value / theirs[i])
    if (!ratios.every(Number.isFinite)) continue
    row.pairedRatio = round3(median(ratios))
    row.pairedSpreadPct = round3(spreadPercent(ratios))
  }
}

/**
 * `ratio` to the fastest, `floor` and `floorRatio` to the subject's floor, and for thread
 * subjects `waitFloorRatio` to the thread floor that sleeps instead of spinning. A figure at or
 * below zero (an overhead within noise) is not divided by, nor divided into.
 * @param {import('./workloads.js').Workload} workload
 * @param {Array<Record<string, any>>} rows
 */
function addRatios(workload, rows) {
  const value = (/** @type {Record<string, any> | undefined} */ row) =>
    typeof row?.[workload.figure] === 'number' ? row[workload.figure] : null
  const bySubject = new Map(rows.map((row) => [row.subject, row]))
  const measured = rows.map(value).filter((v) => v !== null && v > 0)
  const fastest = Math.min(.../** @type {number[]} */ (measured))
  const divide = (/** @type {number | null} */ a, /** @type {number | null | undefined} */ b) =>
    a !== null && a > 0 && b !== null && b !== undefined && b > 0 ? round3(a / b) : null
  for (const row of rows) {
    const own = value(row)
    if (own === null) continue
    row.ratio = divide(own, fastest)
    const floor = floorOf(workload.name, row.subject)
    if (floor === undefined) continue
    const floorValue = floor === 'timer' ? row.timerMs : value(bySubject.get(floor))
    row.floor = floor
    row.floorRatio = divide(own, floorValue)
    if (subjectInfo[row.subject]?.kind === 'thread' && bySubject.has('floor-thread-wait')) {
      row.waitFloorRatio = divide(own, value(bySubject.get('floor-thread-wait')))
    }
  }
}
