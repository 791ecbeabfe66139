// Turns the bench app's latest.json into what the Benchmarks page shows. Kept apart from the
// data loader so the tests can check the units and the scale on the real results.

const palitraSubjects = new Set(['worker', 'deasync', 'subprocess'])

/** Display name: palitra's own backends are prefixed so they stand out from the peers. */
export function subjectLabel(subject) {
  return palitraSubjects.has(subject) ? `palitra ${subject}` : subject
}

/** Three significant figures, thousands separated: 0.193, 7.63, 126, 1,234. */
export function formatNumber(value) {
  if (value >= 100) return Math.round(value).toLocaleString('en-US')
  return Number(value.toPrecision(3)).toString()
}

/**
 * How a workload's figure reads. The bench stores every figure as µs in `usPerCall`; a workload
 * whose unit is in milliseconds (startup) is shown in ms.
 */
export function unitOf(workload) {
  const unit = workload.unit ?? 'µs/call'
  if (/^ms\b/.test(unit)) return { label: unit, short: 'ms', perUs: 1 / 1000 }
  return { label: unit, short: 'µs', perUs: 1 }
}

function extrasOf(result) {
  const extras = []
  if (typeof result.mbPerSec === 'number') {
    extras.push({
      label: 'MB/s',
      value: formatNumber(result.mbPerSec),
      chart: `${formatNumber(result.mbPerSec)} MB/s`,
    })
  }
  if (typeof result.rssMb === 'number') {
    extras.push({
      label: 'RSS',
      value: `+${formatNumber(result.rssMb)} MB`,
      chart: `+${formatNumber(result.rssMb)} MB RSS`,
    })
  }
  if (typeof result.connections === 'number') {
    extras.push({ label: 'TCP connections', value: result.connections.toLocaleString('en-US') })
  }
  return extras
}

// Positions on the chart, 0–100: linear, or log when the figures span more than two decades
// (the subprocess peers are ~100,000x slower than the fastest subject on several workloads).
function scaleFor(values) {
  const positive = values.filter((v) => v > 0)
  if (positive.length === 0) return { log: false, at: () => 0 }
  const lo = Math.min(...positive)
  const hi = Math.max(...positive)
  if (hi / lo <= 100) return { log: false, at: (v) => (100 * v) / hi }
  const from = Math.floor(Math.log10(lo)) - 0.3
  const to = Math.log10(hi)
  return { log: true, at: (v) => (100 * (Math.log10(Math.max(v, lo)) - from)) / (to - from) }
}

export function benchView(latest) {
  const workloads = (latest.workloads ?? []).map((workload) => {
    const unit = unitOf(workload)
    const results = (latest.results ?? []).filter((r) => r.workload === workload.name)
    const ok = results.filter((r) => typeof r.usPerCall === 'number')
    const scale = scaleFor(ok.flatMap((r) => [r.usPerCall, r.maxUs ?? r.usPerCall]))
    const rows = ok
      .sort((a, b) => a.usPerCall - b.usPerCall)
      .map((r) => ({
        subject: subjectLabel(r.subject),
        palitra: palitraSubjects.has(r.subject),
        value: formatNumber(r.usPerCall * unit.perUs),
        min: typeof r.minUs === 'number' ? formatNumber(r.minUs * unit.perUs) : null,
        max: typeof r.maxUs === 'number' ? formatNumber(r.maxUs * unit.perUs) : null,
        spread: typeof r.spreadPct === 'number' ? `±${Math.round(r.spreadPct)}%` : '',
        ratio: typeof r.ratio === 'number' ? `${formatNumber(r.ratio)}x` : '',
        extras: extrasOf(r),
        bar: Math.max(scale.at(r.usPerCall), 1),
        whisker:
          typeof r.minUs === 'number' && typeof r.maxUs === 'number'
            ? { from: scale.at(r.minUs), to: Math.max(scale.at(r.maxUs), scale.at(r.minUs) + 0.5) }
            : null,
      }))
    const missing = results
      .filter((r) => typeof r.usPerCall !== 'number')
      .map((r) => ({
        subject: subjectLabel(r.subject),
        status: r.status,
        reason: r.unavailable ?? '',
      }))
    return {
      name: workload.name,
      about: workload.about,
      unit: unit.label,
      short: unit.short,
      log: scale.log,
      rows,
      missing,
    }
  })
  const subjects = [...new Set((latest.results ?? []).map((r) => r.subject))]
  const summary = subjects.map((subject) => ({
    subject: subjectLabel(subject),
    palitra: palitraSubjects.has(subject),
    cells: workloads.map((w) => {
      const row = w.rows.find((r) => r.subject === subjectLabel(subject))
      return row
        ? row.value
        : (w.missing.find((m) => m.subject === subjectLabel(subject))?.status ?? '–')
    }),
  }))
  return {
    available: true,
    node: latest.node,
    machine: latest.machine,
    date: latest.date,
    quick: Boolean(latest.quick),
    rounds: latest.rounds,
    workloads,
    summary,
  }
}
