/**
 * One horizontal bar chart per workload, as SVG text: fastest first, a whisker for the rounds'
 * min–max, the figure at the end of each bar, and a log axis when figures span more than two
 * decades. Subjects with no figure are listed under the bars with the reason.
 */
import { formatDuration, formatNumber } from './format.js'
import { figureUs } from './summarize.js'

/**
 * A row with its figure and the rounds' range in µs, whatever fields its workload uses.
 * @param {Record<string, any>} row
 */
function inMicros(row) {
  const us = figureUs(row)
  if (us === null || row.figure === 'usPerCall') return { ...row, usPerCall: us }
  return { ...row, usPerCall: us, minUs: row.minMs * 1000, maxUs: row.maxMs * 1000 }
}

/**
 * An axis label: 1 µs · 10 µs · 1 ms · 1 s.
 * @param {number} us
 */
function axisLabel(us) {
  if (us >= 1e6) return `${+(us / 1e6).toPrecision(3)} s`
  if (us >= 1e3) return `${+(us / 1e3).toPrecision(3)} ms`
  return `${+us.toPrecision(3)} µs`
}

/** @param {number} ratio */
const shortRatio = (ratio) =>
  ratio < 10 ? ratio.toFixed(1) : Math.round(ratio).toLocaleString('en-US')

/** @param {unknown} text */
export const escapeXml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) =>
      /** @type {Record<string, string>} */ ({
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '"': '&quot;',
        "'": '&#39;',
      })[c],
  )

const layout = { width: 980, left: 250, right: 280, top: 96, bar: 24, gap: 10, axis: 30 }
const colors = {
  palitra: '#6d28d9',
  floor: '#0f766e',
  peer: '#94a3b8',
  whisker: '#1f2937',
  grid: '#e5e7eb',
}

/**
 * Where ticks go on the axis, in µs.
 * @param {number} min
 * @param {number} max
 * @param {boolean} log
 */
function ticks(min, max, log) {
  if (log) {
    const out = []
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      out.push(10 ** e)
    return out
  }
  const rough = max / 4
  const step = 10 ** Math.floor(Math.log10(rough))
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= rough) ?? step * 10
  const out = []
  for (let v = 0; v <= max * 1.0001 + nice; v += nice) out.push(v)
  return out
}

/**
 * The one extra figure a bar's label carries: connections, MB/s or memory.
 * @param {Record<string, any>} row
 * @param {boolean} inProcess
 */
function extra(row, inProcess) {
  if (row.connections !== undefined) return `${row.connections} conn. / ${row.requests} req.`
  if (row.mbPerSec !== undefined)
    return inProcess ? 'not copied' : `${formatNumber(row.mbPerSec)} MB/s`
  if (row.rssMb !== undefined) return `+${formatNumber(row.rssMb)} MB RSS`
  return ''
}

/**
 * @param {{ name: string, about: string, unit: string }} workload
 * @param {Array<Record<string, any>>} rows  this workload's JSON rows
 * @param {{ subtitle: string, isPalitra: (subject: string) => boolean, isFloor?: (subject: string) => boolean, isInProcess?: (subject: string) => boolean }} options
 */
export function renderSvg(
  workload,
  jsonRows,
  { subtitle, isPalitra, isFloor = () => false, isInProcess = () => false },
) {
  const rows = jsonRows.map(inMicros)
  const { width, left, right, top, bar, gap, axis } = layout
  const plot = width - left - right
  const measured = rows
    .filter((row) => row.usPerCall !== null)
    .sort((a, b) => a.usPerCall - b.usPerCall)
  const missing = rows.filter((row) => row.usPerCall === null)
  const positive = measured.map((row) => row.maxUs ?? row.usPerCall).filter((v) => v > 0)
  const lows = measured.map((row) => row.minUs ?? row.usPerCall).filter((v) => v > 0)
  const max = Math.max(...positive, 1e-3)
  const low = Math.min(...lows, max)
  const log = max / low > 100
  const tickValues = ticks(low, max, log)
  const axisMin = log ? tickValues[0] : 0
  const axisMax = log ? tickValues[tickValues.length - 1] : tickValues[tickValues.length - 1]
  /** @param {number} value */
  const x = (value) => {
    const share = log
      ? (Math.log10(Math.max(value, axisMin)) - Math.log10(axisMin)) /
        (Math.log10(axisMax) - Math.log10(axisMin) || 1)
      : Math.max(value, 0) / (axisMax || 1)
    return left + Math.min(1, Math.max(0, share)) * plot
  }
  const barsBottom = top + measured.length * (bar + gap)
  const height = barsBottom + axis + missing.length * 20 + 44
  const scaleNote = log ? 'log scale' : 'linear scale'
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="30" font-size="20" font-weight="bold" fill="#111827">${escapeXml(`${workload.name} — ${workload.unit}`)}</text>`,
    `<text x="20" y="52" font-size="13" fill="#4b5563">${escapeXml(subtitle)}</text>`,
    `<text x="20" y="70" font-size="12" fill="#6b7280">${escapeXml(`lower is better · ${scaleNote} · whiskers: min–max of the rounds`)}</text>`,
    `<rect x="20" y="78" width="10" height="10" fill="${colors.palitra}"/>`,
    `<text x="35" y="87" font-size="12" fill="#374151">palitra backend</text>`,
    `<rect x="140" y="78" width="10" height="10" fill="${colors.peer}"/>`,
    `<text x="155" y="87" font-size="12" fill="#374151">peer</text>`,
    `<rect x="200" y="78" width="10" height="10" fill="${colors.floor}"/>`,
    `<text x="215" y="87" font-size="12" fill="#374151">floor (bare mechanism)</text>`,
    `<text x="${width - 16}" y="87" font-size="12" text-anchor="end" fill="#6b7280">× fastest · × floor</text>`,
  ]
  if (measured.length > 0) {
    for (const value of tickValues) {
      const tx = x(value).toFixed(1)
      out.push(
        `<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${barsBottom}" stroke="${colors.grid}" stroke-width="1"/>`,
        `<text x="${tx}" y="${barsBottom + 16}" font-size="11" text-anchor="middle" fill="#6b7280">${escapeXml(axisLabel(value))}</text>`,
      )
    }
  }
  measured.forEach((row, i) => {
    const y = top + i * (bar + gap)
    const end = x(row.usPerCall)
    const fill = isPalitra(row.subject)
      ? colors.palitra
      : isFloor(row.subject)
        ? colors.floor
        : colors.peer
    const label =
      row.usPerCall > 0 ? formatDuration(row.usPerCall) : `≈0 (${formatDuration(row.usPerCall)})`
    out.push(
      `<text x="${left - 10}" y="${y + bar / 2 + 5}" font-size="14" text-anchor="end" fill="#111827">${escapeXml(row.subject)}</text>`,
      `<rect class="bar" x="${left}" y="${y}" width="${Math.max(1, end - left).toFixed(1)}" height="${bar}" rx="3" fill="${fill}"><title>${escapeXml(`${row.subject}: ${label}`)}</title></rect>`,
    )
    let labelX = end
    if (row.minUs !== undefined && row.maxUs !== undefined && row.rounds > 1) {
      const x1 = x(row.minUs)
      const x2 = x(row.maxUs)
      const my = y + bar / 2
      out.push(
        `<path d="M${x1.toFixed(1)} ${my}H${x2.toFixed(1)}M${x1.toFixed(1)} ${my - 5}V${my + 5}M${x2.toFixed(1)} ${my - 5}V${my + 5}" stroke="${colors.whisker}" stroke-width="1.2" fill="none"/>`,
      )
      labelX = Math.max(end, x2)
    }
    out.push(
      `<text x="${(labelX + 8).toFixed(1)}" y="${y + bar / 2 + 5}" font-size="13" fill="#111827">${escapeXml(label)}</text>`,
      `<text x="${(labelX + 14 + label.length * 8).toFixed(1)}" y="${y + bar / 2 + 5}" font-size="12" fill="#6b7280">${escapeXml(extra(row, isInProcess(row.subject)))}</text>`,
    )
    if (row.ratio) {
      const floor = row.floorRatio ? ` · ×${shortRatio(row.floorRatio)}` : ''
      out.push(
        `<text x="${width - 16}" y="${y + bar / 2 + 5}" font-size="13" text-anchor="end" fill="#6b7280">×${shortRatio(row.ratio)}${floor}</text>`,
      )
    }
  })
  missing.forEach((row, i) => {
    const y = barsBottom + axis + i * 20 + 10
    const reason = String(row.unavailable ?? row.status)
    out.push(
      `<text x="${left - 10}" y="${y}" font-size="13" text-anchor="end" fill="#9ca3af">${escapeXml(row.subject)}</text>`,
      `<text class="missing" x="${left}" y="${y}" font-size="12" fill="#9ca3af">${escapeXml(`not measured: ${reason.length > 95 ? `${reason.slice(0, 94)}…` : reason}`)}</text>`,
    )
  })
  out.push(
    `<text x="20" y="${height - 14}" font-size="12" fill="#6b7280">${escapeXml(workload.about)}</text>`,
    '</svg>',
  )
  return `${out.join('\n')}\n`
}
