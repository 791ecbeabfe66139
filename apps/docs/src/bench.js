// The Benchmarks page: the charts the bench wrote, and a table read from its latest.json.
import { escapeHtml } from './highlight.js'

/**
 * @typedef {object} BenchRow
 * @property {string} workload
 * @property {string} subject
 * @property {number} value the row's figure, in its own unit
 * @property {number | null} ratio to the workload's fastest subject
 * @property {string | null} floor the bare mechanism the subject is held against (`floor-thread`)
 * @property {number | null} floorRatio the figure against that floor's
 * @property {string | null} unit what the figure measures, when the bench says (`ms/batch`)
 */

/**
 * @typedef {object} BenchPageInput
 * @property {{ name: string, href: string }[]} charts chart SVGs, with their URL from the page
 * @property {{ repoPath: string, data?: unknown, error?: string } | null} latest latest.json
 */

const RUN_COMMAND = 'pnpm bench'

/**
 * The rows of latest.json, whatever its exact shape: any object whose `figure` names a numeric
 * field (`{ "figure": "coldMs", "coldMs": 80 }`), or else with a numeric `usPerCall`, is a row;
 * `workload` and `subject` come from its own fields or else from the keys that lead to it
 * (`{ "noop": { "worker": { "usPerCall": 2 } } }`).
 * @param {unknown} data
 * @returns {BenchRow[]}
 */
export function benchRows(data) {
  /** @type {BenchRow[]} */
  const rows = []
  visit(data, [], rows)
  return rows
}

/**
 * @param {unknown} value
 * @param {string[]} keys
 * @param {BenchRow[]} rows
 */
function visit(value, keys, rows) {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, keys, rows)
    return
  }
  if (!value || typeof value !== 'object') return
  const record = /** @type {Record<string, unknown>} */ (value)
  const field = typeof record.figure === 'string' ? record.figure : 'usPerCall'
  const figure = finite(record[field])
  if (figure === null) {
    for (const [key, child] of Object.entries(record)) visit(child, [...keys, key], rows)
    return
  }
  let rest = keys
  let subject = text(record.subject)
  if (subject === null) {
    subject = rest.at(-1) ?? ''
    rest = rest.slice(0, -1)
  }
  const workload = text(record.workload) ?? rest.at(-1) ?? ''
  rows.push({
    workload,
    subject,
    value: figure,
    ratio: finite(record.ratio),
    floor: text(record.floor),
    floorRatio: finite(record.floorRatio),
    unit: text(record.unit),
  })
}

/**
 * The plain facts about the run (`node`, `date`, `cpus`, …): latest.json's top-level scalars,
 * and those of a top-level `meta`, `env`, `environment` or `machine` object.
 * @param {unknown} data
 * @returns {[string, string][]}
 */
export function benchFacts(data) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return []
  const record = /** @type {Record<string, unknown>} */ (data)
  /** @type {[string, string][]} */
  const facts = []
  const add = (/** @type {Record<string, unknown>} */ source) => {
    for (const [key, value] of Object.entries(source)) {
      if (['string', 'number', 'boolean'].includes(typeof value)) facts.push([key, String(value)])
    }
  }
  add(record)
  for (const key of ['meta', 'env', 'environment', 'machine']) {
    const nested = record[key]
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      add(/** @type {Record<string, unknown>} */ (nested))
    }
  }
  return facts
}

/**
 * The body of the Benchmarks page.
 * @param {BenchPageInput} input
 * @returns {import('./markdown.js').RenderedMarkdown}
 */
export function renderBenchmarks({ charts, latest }) {
  const rows = latest && 'data' in latest ? benchRows(latest.data) : []
  /** @type {import('./markdown.js').Heading[]} */
  const headings = [{ depth: 1, id: 'benchmarks', text: 'Benchmarks' }]
  const parts = [
    '<h1 id="benchmarks">Benchmarks</h1>',
    '<p class="lead">The same workloads on every palitra backend and on the peer libraries, in one run, ' +
      'as the last <code>pnpm bench</code> on the machine that built this site recorded them.</p>',
  ]

  const notRun = charts.length === 0 && !latest
  if (notRun) {
    parts.push(
      '<div class="notice">',
      '<p><strong>The benchmark has not been run yet.</strong> Run it from the repository root, then build this site again:</p>',
      codeBlock(RUN_COMMAND),
      '</div>',
    )
  }

  if (charts.length > 0) {
    headings.push({ depth: 2, id: 'charts', text: 'Charts' })
    parts.push(sectionHeading('charts', 'Charts'))
    for (const chart of chartsInTableOrder(charts, rows)) {
      const name = escapeHtml(chart.name.replace(/\.svg$/i, ''))
      parts.push(
        `<figure class="chart"><img src="${escapeHtml(chart.href)}" alt="Benchmark chart: ${name}" loading="lazy"></figure>`,
      )
    }
  }

  if (latest) {
    headings.push({ depth: 2, id: 'results', text: 'Results' })
    parts.push(sectionHeading('results', 'Results'))
    if (latest.error !== undefined) {
      parts.push(
        `<div class="notice"><p><code>${escapeHtml(latest.repoPath)}</code> could not be read: ${escapeHtml(latest.error)}</p><p>Run the benchmark again:</p>${codeBlock(RUN_COMMAND)}</div>`,
      )
    } else if (rows.length === 0) {
      parts.push(
        `<div class="notice"><p><code>${escapeHtml(latest.repoPath)}</code> holds no results (no entry with a numeric <code>usPerCall</code> or <code>figure</code> field).</p></div>`,
      )
    } else {
      parts.push(
        `<p>From <code>${escapeHtml(latest.repoPath)}</code>. Lower is faster; the fastest subject of each workload is in bold.</p>`,
      )
      parts.push(factsList(benchFacts(latest.data)), resultsTable(rows))
    }
  } else if (charts.length > 0) {
    parts.push(
      '<div class="notice"><p>No <code>latest.json</code> next to the charts, so there is no table.</p></div>',
    )
  }

  if (notRun) return { html: `${parts.join('\n')}\n`, title: 'Benchmarks', headings }
  headings.push({ depth: 2, id: 'run-it-yourself', text: 'Run it yourself' })
  parts.push(
    sectionHeading('run-it-yourself', 'Run it yourself'),
    '<p>From the repository root (it builds what the bench needs first); <code>--quick</code> makes a short run:</p>',
    codeBlock(`${RUN_COMMAND}\n${RUN_COMMAND} --quick`),
    '<p>The results land in <code>apps/bench/results/</code>; build the docs again to update this page.</p>',
  )
  return { html: `${parts.join('\n')}\n`, title: 'Benchmarks', headings }
}

/**
 * @param {BenchRow[]} rows
 * @returns {string}
 */
function resultsTable(rows) {
  /** @type {Map<string, BenchRow[]>} */
  const byWorkload = new Map()
  for (const row of rows) {
    const group = byWorkload.get(row.workload) ?? []
    group.push(row)
    byWorkload.set(row.workload, group)
  }
  const body = [...byWorkload.values()]
    .map((group) => {
      const best = Math.min(...group.map((row) => row.value))
      return group
        .map((row, i) => {
          const cls = [i === 0 ? 'group-start' : '', row.value === best ? 'best' : '']
            .filter(Boolean)
            .join(' ')
          return [
            `<tr${cls ? ` class="${cls}"` : ''}>`,
            `<td class="workload">${i === 0 ? workloadCell(row) : ''}</td>`,
            `<td>${escapeHtml(row.subject)}</td>`,
            `<td class="num">${formatMicros(row.value)}</td>`,
            `<td class="num">${row.ratio === null ? '—' : `${formatRatio(row.ratio)}×`}</td>`,
            `<td class="num">${floorCell(row)}</td>`,
            '</tr>',
          ].join('')
        })
        .join('\n')
    })
    .join('\n')
  return [
    '<div class="table-wrap"><table class="bench">',
    '<thead><tr><th>workload</th><th>subject</th><th class="num">µs per call, or as noted</th><th class="num">ratio</th><th class="num">× floor</th></tr></thead>',
    `<tbody>\n${body}\n</tbody>`,
    '</table></div>',
  ].join('\n')
}

/**
 * Charts named after a workload (`tight-loop.svg`) in the order latest.json lists the workloads,
 * then any others by name.
 * @template {{ name: string }} T
 * @param {T[]} charts
 * @param {BenchRow[]} rows
 * @returns {T[]}
 */
export function chartsInTableOrder(charts, rows) {
  const order = [...new Set(rows.map((row) => row.workload))]
  const rank = (/** @type {T} */ chart) => {
    const at = order.indexOf(chart.name.replace(/\.svg$/i, ''))
    return at === -1 ? order.length : at
  }
  return [...charts].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}

/**
 * The workload's name, and its unit when it is not plain µs per call.
 * @param {BenchRow} row
 */
function workloadCell(row) {
  const name = escapeHtml(row.workload)
  if (!row.unit || /^µs\s*(\/|per)\s*call$/i.test(row.unit)) return name
  return `${name}<br><span class="unit">${escapeHtml(row.unit)}</span>`
}

/**
 * @param {[string, string][]} facts
 * @returns {string}
 */
function factsList(facts) {
  if (facts.length === 0) return ''
  const items = facts
    .map(([key, value]) => `<div><dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd></div>`)
    .join('')
  return `<dl class="facts">${items}</dl>`
}

/**
 * @param {string} id
 * @param {string} text
 */
function sectionHeading(id, text) {
  return `<h2 id="${id}">${escapeHtml(text)}<a class="anchor" href="#${id}" aria-label="Link to this section">#</a></h2>`
}

/** @param {string} code */
function codeBlock(code) {
  return `<pre data-lang="sh"><code class="hljs language-sh">${escapeHtml(code)}</code></pre>`
}

/**
 * A figure with the digits it deserves (named for µs, used for any unit).
 * @param {number} us
 */
export function formatMicros(us) {
  if (us >= 100) return Math.round(us).toLocaleString('en-US')
  if (us >= 10) return us.toFixed(1)
  if (us >= 1) return us.toFixed(2)
  return us.toPrecision(2)
}

/**
 * The figure against the subject's floor, and which floor (`4.20× floor-thread`).
 * @param {BenchRow} row
 */
function floorCell(row) {
  if (row.floorRatio === null) return '—'
  const floor = row.floor ? ` <span class="unit">${escapeHtml(row.floor)}</span>` : ''
  return `${formatRatio(row.floorRatio)}×${floor}`
}

/** @param {number} ratio */
function formatRatio(ratio) {
  if (ratio >= 100) return Math.round(ratio).toLocaleString('en-US')
  return ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)
}

/**
 * @param {unknown} value
 * @returns {number | null}
 */
function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/**
 * @param {unknown} value
 * @returns {string | null}
 */
function text(value) {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number') return String(value)
  return null
}
