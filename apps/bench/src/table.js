import { formatExtras, formatNumber } from './format.js'

/** @param {string} text @param {number} width */
const right = (text, width) => text.padStart(width)

/** @param {number | null | undefined} ratio */
const times = (ratio) => (ratio === null || ratio === undefined ? '—' : `×${formatNumber(ratio)}`)

/** @param {number | undefined} value */
const figure = (value) => (value === undefined ? '' : formatNumber(value))

/**
 * The plain-text table: one block per workload, fastest first, then the subjects with no
 * figure and why.
 * @param {Array<Record<string, any>>} results
 * @param {{ header: string, workloads: Array<{ name: string, about: string, unit: string, figure: string }>, inProcess: Set<string> }} context
 */
export function renderTable(results, { header, workloads, inProcess }) {
  const lines = [header, '']
  for (const workload of workloads) {
    const rows = results.filter((row) => row.workload === workload.name)
    if (rows.length === 0) continue
    const key = workload.figure
    const measured = rows.filter((row) => row[key] !== null).sort((a, b) => a[key] - b[key])
    const missing = rows.filter((row) => row[key] === null)
    const floors = [...new Set(measured.map((row) => row.floor).filter(Boolean))].join(' / ')
    const hasWait = measured.some((row) => row.waitFloorRatio !== undefined)
    lines.push(`${workload.name}: ${workload.about}`)
    if (floors) lines.push(`  floor: ${floors}`)
    lines.push(
      [
        `  ${'subject'.padEnd(28)}`,
        right(workload.unit, 18),
        right('×fastest', 10),
        right('×floor', 9),
        hasWait ? right('×wait fl.', 10) : '',
        right('p50', 9),
        right('p99', 9),
        right('spread', 8),
        right('samples', 12),
      ].join(''),
    )
    for (const row of measured) {
      const p50 = row.p50Us ?? row.p50Ms
      const p99 = row.p99Us ?? row.p99Ms
      lines.push(
        [
          `  ${row.subject.padEnd(28)}`,
          right(formatNumber(row[key]), 18),
          right(times(row.ratio), 10),
          right(row.floor ? times(row.floorRatio) : '', 9),
          hasWait
            ? right(row.waitFloorRatio === undefined ? '' : times(row.waitFloorRatio), 10)
            : '',
          right(figure(p50), 9),
          right(figure(p99), 9),
          right(`±${Math.round(row.spreadPct)}%`, 8),
          right(`${row.rounds}×${Math.round(row.samples).toLocaleString('en-US')}`, 12),
          `  ${formatExtras(row, { inProcess: inProcess.has(row.subject) })}`,
        ]
          .join('')
          .trimEnd(),
      )
    }
    for (const row of measured.filter((candidate) => candidate.pairedRatio !== undefined)) {
      lines.push(
        `  ${row.subject} against ${row.peer}, round by round: ${times(row.pairedRatio)} ±${Math.round(row.pairedSpreadPct)}%`,
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
    'Figures: median over rounds of the mean per sample (a call, or a batch); p50/p99: medians over rounds of each round’s percentiles;',
    'spread: the rounds’ robust deviation (1.4826 × MAD / median); samples: rounds × samples per round; ×floor: to the floor named above;',
    'round by round: the median of the ratios to the best peer of its kind (thread, process, in-process) measured in the same rounds.',
  )
  return lines.join('\n')
}
