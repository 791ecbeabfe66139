import { median, spreadPercent } from './stats.js'

/**
 * What the CLI gathered for one subject on one workload.
 * @typedef {object} Outcome
 * @property {'ok' | 'unavailable' | 'failed' | 'timeout'} status
 * @property {string} [reason]  why there is no figure
 * @property {string} [note]  a remark from the subject (how it works here)
 * @property {Array<Record<string, number>>} samples  one per round
 * @property {{ connections: number, requests: number }} [server]  what the HTTP server saw
 */

/** Per-round figures worth a median in the JSON, when a workload produces them. */
const medianFields = ['coldMs', 'rssMb', 'timerUs', 'totalUs', 'callerUs']

/** @param {number} value */
const round3 = (value) => Math.round(value * 1000) / 1000

/**
 * One JSON row per subject: the median of the rounds and its spread, then extras; subjects with
 * no figure get `usPerCall: null` and the reason in `unavailable`. Ratios are to the fastest.
 * @param {import('./workloads.js').Workload} workload
 * @param {Array<[string, Outcome]>} outcomes  in table order
 */
export function summarize(workload, outcomes) {
  const rows = outcomes.map(([subject, outcome]) => {
    /** @type {Record<string, any>} */
    const row = { workload: workload.name, subject, status: outcome.status, unit: workload.unit }
    if (outcome.status !== 'ok' || outcome.samples.length === 0) {
      return {
        ...row,
        status: outcome.status === 'ok' ? 'failed' : outcome.status,
        usPerCall: null,
        unavailable: outcome.reason ?? 'no round finished',
        ...(outcome.note ? { note: outcome.note } : {}),
      }
    }
    const perCall = outcome.samples.map((sample) => sample.usPerCall)
    const usPerCall = median(perCall)
    Object.assign(row, {
      usPerCall: round3(usPerCall),
      spreadPct: round3(spreadPercent(perCall)),
      minUs: round3(Math.min(...perCall)),
      maxUs: round3(Math.max(...perCall)),
      rounds: perCall.length,
      calls: median(outcome.samples.map((sample) => sample.calls)),
      callsTotal: outcome.samples.reduce((sum, sample) => sum + sample.calls, 0),
    })
    for (const field of medianFields) {
      const values = outcome.samples.map((sample) => sample[field]).filter(Number.isFinite)
      if (values.length > 0) row[field] = round3(median(values))
    }
    if (workload.bytesPerCall && usPerCall > 0) {
      row.mbPerSec = round3(workload.bytesPerCall / usPerCall) // bytes per µs = MB/s
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
  const measured = rows.filter((row) => row.usPerCall !== null && row.usPerCall > 0)
  const fastest = Math.min(...measured.map((row) => row.usPerCall))
  for (const row of rows) {
    if (row.usPerCall === null) continue
    // A figure at or below zero (an overhead within noise) is not divided by.
    row.ratio = row.usPerCall > 0 ? round3(row.usPerCall / fastest) : null
  }
  return rows
}
