/** One horizontal bar chart per workload, log scale when the figures span more than two decades. */

const escapeXml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )

const palitraSubjects = new Set(['worker', 'deasync', 'subprocess'])

function label(value, unit) {
  const shown = unit.startsWith('ms') ? value / 1000 : value
  const text =
    shown >= 100 ? Math.round(shown).toLocaleString('en-US') : shown.toFixed(shown >= 10 ? 1 : 2)
  return `${text} ${unit.startsWith('ms') ? 'ms' : 'µs'}`
}

export function renderSvg(workload, rows, { title, subtitle }) {
  const measured = rows
    .filter((row) => row.usPerCall !== null)
    .sort((a, b) => a.usPerCall - b.usPerCall)
  const missing = rows.filter((row) => row.usPerCall === null)
  const width = 760
  const left = 210
  const right = 120
  const barHeight = 22
  const gap = 8
  const top = 64
  const plot = width - left - right
  const values = measured.map((row) => Math.max(row.usPerCall, 1e-3))
  const max = Math.max(...values, 1e-3)
  const min = Math.min(...values, max)
  const logScale = max / min > 100
  const scale = (value) =>
    logScale
      ? (Math.log10(Math.max(value, 1e-3) / (min / 2)) / Math.log10(max / (min / 2))) * plot
      : (value / max) * plot
  const height = top + (measured.length + missing.length) * (barHeight + gap) + 36
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="17" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
    `<text x="16" y="46" font-size="12" fill="#555">${escapeXml(subtitle)}${logScale ? ' · log scale' : ''} · lower is better</text>`,
  ]
  measured.forEach((row, i) => {
    const y = top + i * (barHeight + gap)
    const w = Math.max(2, scale(row.usPerCall))
    const fill = palitraSubjects.has(row.subject) ? '#7c3aed' : '#94a3b8'
    parts.push(
      `<text x="${left - 10}" y="${y + 15}" font-size="13" text-anchor="end" fill="#111">${escapeXml(row.subject)}</text>`,
      `<rect class="bar" x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" rx="3" fill="${fill}"/>`,
      `<text x="${left + w + 6}" y="${y + 15}" font-size="12" fill="#333">${escapeXml(label(row.usPerCall, row.unit))}</text>`,
    )
  })
  missing.forEach((row, i) => {
    const y = top + (measured.length + i) * (barHeight + gap)
    parts.push(
      `<text x="${left - 10}" y="${y + 15}" font-size="13" text-anchor="end" fill="#999">${escapeXml(row.subject)}</text>`,
      `<text x="${left}" y="${y + 15}" font-size="12" fill="#999">not measured: ${escapeXml((row.unavailable ?? row.error ?? '').slice(0, 90))}</text>`,
    )
  })
  parts.push(
    `<text x="16" y="${height - 12}" font-size="11" fill="#777">${escapeXml(workload.about)}</text>`,
    '</svg>',
  )
  return `${parts.join('\n')}\n`
}
