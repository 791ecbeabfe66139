import { formatExtras, formatNumber } from './format.js'

/** @param {string} text @param {number} width */
const right = (text, width) => text.padStart(width)

/**
 * The plain-text table: one block per workload, fastest first, then the subjects with no
 * figure and why.
 * @param {Array<Record<string, any>>} results
 * @param {{ header: string, workloads: Array<{ name: string, about: string, unit: string }>, inProcess: Set<string> }} context
 */
export function renderTable(results, { header, workloads, inProcess }) {
  const lines = [header, '']
  for (const workload of workloads) {
    const rows = results.filter((row) => row.workload === workload.name)
    if (rows.length === 0) continue
    const measured = rows
      .filter((row) => row.usPerCall !== null)
      .sort((a, b) => a.usPerCall - b.usPerCall)
    const missing = rows.filter((row) => row.usPerCall === null)
    const unit = workload.unit.startsWith('ms') ? 'ms' : 'µs'
    lines.push(`${workload.name}: ${workload.about}`)
    lines.push(
      `  ${'subject'.padEnd(28)}${right(workload.unit, 18)}${right('×fastest', 13)}${right('spread', 8)}${right('calls', 10)}`,
    )
    for (const row of measured) {
      const value = unit === 'ms' ? row.usPerCall / 1000 : row.usPerCall
      const ratio = row.ratio === null ? '—' : `×${formatNumber(row.ratio)}`
      lines.push(
        [
          `  ${row.subject.padEnd(28)}`,
          right(formatNumber(value), 18),
          right(ratio, 13),
          right(`±${Math.round(row.spreadPct)}%`, 8),
          right(`${row.rounds}×${Math.round(row.calls).toLocaleString('en-US')}`, 10),
          `  ${formatExtras(row, { inProcess: inProcess.has(row.subject) })}`,
        ]
          .join('')
          .trimEnd(),
      )
    }
    for (const row of missing) {
      lines.push(
        `  ${row.subject.padEnd(28)}${right('n/a', 18)}  ${row.status}: ${row.unavailable}`,
      )
    }
    lines.push('')
  }
  lines.push(
    'Figures: median of the rounds; spread: ± half the min–max range of the rounds; calls: rounds × calls per round.',
  )
  return lines.join('\n')
}
