/**
 * A figure with as many digits as it deserves: 12,345 · 123 · 12.3 · 1.23.
 * @param {number} value
 */
export function formatNumber(value) {
  const size = Math.abs(value)
  if (size >= 1000) return Math.round(value).toLocaleString('en-US')
  if (size >= 100) return value.toFixed(0)
  if (size >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

/**
 * A duration for a chart label, in the unit that reads best: 812 µs · 4.21 ms · 1.20 s.
 * @param {number} us
 */
export function formatDuration(us) {
  const size = Math.abs(us)
  if (size >= 1e6) return `${formatNumber(us / 1e6)} s`
  if (size >= 1e3) return `${formatNumber(us / 1e3)} ms`
  return `${formatNumber(us)} µs`
}

/**
 * The extra figures of a row, for the table and the charts.
 * @param {Record<string, any>} row
 * @param {{ inProcess?: boolean }} [about]
 */
export function formatExtras(row, about = {}) {
  const parts = []
  if (row.mbPerSec !== undefined)
    parts.push(about.inProcess ? 'same thread, not copied' : `${formatNumber(row.mbPerSec)} MB/s`)
  if (row.connections !== undefined)
    parts.push(
      `${row.connections.toLocaleString('en-US')} TCP conn. for ${row.requests.toLocaleString('en-US')} req.${row.connections <= 1 ? ' (kept)' : ''}`,
    )
  if (row.rssMb !== undefined) parts.push(`+${formatNumber(row.rssMb)} MB RSS`)
  if (row.timerUs !== undefined) parts.push(`the timer itself ${formatNumber(row.timerUs)} µs`)
  if (row.timerMs !== undefined) parts.push(`one timer alone ${formatNumber(row.timerMs)} ms`)
  if (row.note) parts.push(row.note)
  return parts.join(', ')
}
