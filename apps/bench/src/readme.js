// The root README's benchmark table, written from a results file: one row per subject, one column
// per workload, each figure with its ratio to the subject's floor. Written between two marker
// comments, so the prose around it stays the authors'; the bench's test checks the two agree.
import { formatNumber } from './format.js'
import { palitraSubjects, subjectNames } from './subjects/index.js'

export const startMarker = '<!-- bench-table:start (written by `pnpm bench --readme`) -->'
export const endMarker = '<!-- bench-table:end -->'

/** Column headings: the workload and the unit its cells are in. */
const columnUnit = {
  usPerCall: 'µs',
  msPerBatch: 'ms',
  coldMs: 'ms',
}

/**
 * @param {{ name: string, unit: string, figure: string }} workload
 */
function heading(workload) {
  if (workload.name === 'buffer-1m') return `${workload.name} (MB/s)`
  if (workload.unit.includes('over')) return `${workload.name} (µs over)`
  return `${workload.name} (${columnUnit[/** @type {keyof typeof columnUnit} */ (workload.figure)]})`
}

/**
 * @param {Record<string, any> | undefined} row
 * @param {boolean} inProcess
 */
function cell(row, inProcess) {
  if (!row) return '—'
  const value = row[row.figure]
  if (value === null || value === undefined)
    return row.status === 'skipped' ? 'skipped' : row.status === 'unavailable' ? 'n/a' : 'fails'
  const shown =
    row.mbPerSec !== undefined
      ? inProcess
        ? 'not copied'
        : formatNumber(row.mbPerSec)
      : formatNumber(value)
  const floor =
    row.floorRatio === null || row.floorRatio === undefined
      ? ''
      : ` (×${formatNumber(row.floorRatio)})`
  return `${shown}${floor}`
}

/**
 * The Markdown between the markers.
 * @param {Record<string, any>} report  a results file, parsed
 */
export function renderReadmeTable(report) {
  const { machine } = report
  /** @type {Array<{ name: string, unit: string, figure: string }>} */
  const workloads = report.workloads
  /** @type {Array<Record<string, any>>} */
  const results = report.results
  const subjects = subjectNames.filter((name) => results.some((row) => row.subject === name))
  const date = String(report.date).slice(0, 10)
  const kind = report.quick
    ? `a quick run (${report.rounds} short rounds)`
    : `one run (${report.rounds} rounds)`
  const lines = [
    `From ${kind} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB (${machine.os}), Node ${report.node}, ${date}`,
    '(`apps/bench/results/latest.json`). Lower is better except MB/s; (×N) is the figure against the',
    'subject’s floor: `floor-thread` for thread-based subjects, `floor-process` for process-based ones,',
    'tinypool used directly for cpu-map, one lone 10 ms timer for io-batch. — : not run on that workload;',
    'n/a: not installed or not supported here; the reasons are in the JSON and the bench’s table.',
    '',
    `| subject | ${workloads.map(heading).join(' | ')} |`,
    `| --- |${workloads.map(() => ' ---:|').join('')}`,
  ]
  for (const subject of subjects) {
    const name = palitraSubjects.has(subject) ? `**palitra ${subject}**` : subject
    const cells = workloads.map((workload) =>
      cell(
        results.find((row) => row.subject === subject && row.workload === workload.name),
        subject === 'deasync' || subject === 'deasync-raw',
      ),
    )
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

/**
 * The README with its table replaced by one written from `report`.
 * @param {string} readme
 * @param {Record<string, any>} report
 */
export function withReadmeTable(readme, report) {
  const start = readme.indexOf(startMarker)
  const end = readme.indexOf(endMarker)
  if (start === -1 || end === -1 || end < start)
    throw new Error(
      `README.md has no "${startMarker}" … "${endMarker}" block to write the table into`,
    )
  return `${readme.slice(0, start + startMarker.length)}\n${renderReadmeTable(report)}\n${readme.slice(end)}`
}
