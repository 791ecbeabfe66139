/** Plain-text table: one block per workload, fastest first, unavailable subjects last with why. */

const fmt = (value, digits = 2) =>
  value >= 1000
    ? Math.round(value).toLocaleString('en-US')
    : value >= 100
      ? value.toFixed(0)
      : value.toFixed(digits)

function extras(row) {
  const parts = []
  if (row.mbPerSec !== undefined) parts.push(`${fmt(row.mbPerSec, 0)} MB/s`)
  if (row.connections !== undefined) parts.push(`${row.connections} TCP conn.`)
  if (row.rssPerRunnerMb !== undefined) parts.push(`${fmt(row.rssPerRunnerMb, 1)} MB RSS/runner`)
  if (row.timerUs !== undefined) parts.push(`timer ${fmt(row.timerUs, 0)} µs`)
  return parts.join(', ')
}

export function renderTable(results, { header }) {
  const lines = [header, '']
  const byWorkload = new Map()
  for (const row of results)
    byWorkload.set(row.workload, [...(byWorkload.get(row.workload) ?? []), row])
  for (const [workload, rows] of byWorkload) {
    const measured = rows
      .filter((row) => row.usPerCall !== null)
      .sort((a, b) => a.usPerCall - b.usPerCall)
    const missing = rows.filter((row) => row.usPerCall === null)
    lines.push(`${workload} (${rows[0].unit})`)
    for (const row of measured) {
      const value = row.unit.startsWith('ms') ? row.usPerCall / 1000 : row.usPerCall
      lines.push(
        `  ${row.subject.padEnd(28)} ${fmt(value).padStart(10)}  ${`x${fmt(row.ratio)}`.padStart(9)}  ±${row.spreadPercent.toFixed(0).padStart(3)}%  ${extras(row)}`,
      )
    }
    for (const row of missing)
      lines.push(
        `  ${row.subject.padEnd(28)} ${'n/a'.padStart(10)}  ${row.unavailable ?? row.error}`,
      )
    lines.push('')
  }
  return lines.join('\n')
}
