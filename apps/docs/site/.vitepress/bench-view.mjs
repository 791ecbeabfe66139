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
 * How a workload's figure reads. Each row names the field that holds its figure (`usPerCall`,
 * `coldMs`, `msPerBatch`), in the unit the field's name says; files from before the bench named
 * its fields kept every figure as µs in `usPerCall`.
 */
export function unitOf(workload) {
  const unit = workload.unit ?? 'µs/call'
  const figure = workload.figure ?? 'usPerCall'
  return { label: unit, short: /Ms$|^ms/.test(figure) ? 'ms' : 'µs', figure }
}

/** A row's headline figure, and its min and max, in the workload's unit. */
function figuresOf(row, unit) {
  if (row.figure === undefined) {
    const scale = unit.short === 'ms' ? 1 / 1000 : 1
    const at = (v) => (typeof v === 'number' ? v * scale : null)
    return { value: at(row.usPerCall), min: at(row.minUs), max: at(row.maxUs) }
  }
  const pick = (v) => (typeof v === 'number' ? v : null)
  const inMs = unit.short === 'ms'
  return {
    value: pick(row[row.figure]),
    min: pick(inMs ? row.minMs : row.minUs),
    max: pick(inMs ? row.maxMs : row.maxUs),
  }
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
    const measured = results.map((r) => ({ r, f: figuresOf(r, unit) }))
    const ok = measured.filter(({ f }) => f.value !== null)
    const scale = scaleFor(ok.flatMap(({ f }) => [f.value, f.max ?? f.value]))
    const rows = ok
      .sort((a, b) => a.f.value - b.f.value)
      .map(({ r, f }) => ({
        subject: subjectLabel(r.subject),
        palitra: palitraSubjects.has(r.subject),
        value: formatNumber(f.value),
        min: f.min === null ? null : formatNumber(f.min),
        max: f.max === null ? null : formatNumber(f.max),
        spread: typeof r.spreadPct === 'number' ? `±${Math.round(r.spreadPct)}%` : '',
        ratio: typeof r.ratio === 'number' ? `${formatNumber(r.ratio)}x` : '',
        floor: typeof r.floorRatio === 'number' ? `${formatNumber(r.floorRatio)}x ${r.floor}` : '',
        extras: extrasOf(r),
        bar: Math.max(scale.at(f.value), 1),
        whisker:
          f.min !== null && f.max !== null
            ? { from: scale.at(f.min), to: Math.max(scale.at(f.max), scale.at(f.min) + 0.5) }
            : null,
      }))
    const missing = measured
      .filter(({ f }) => f.value === null)
      .map(({ r }) => r)
      .map((r) => ({
        subject: subjectLabel(r.subject),
        status: r.status,
        reason: r.unavailable ?? '',
      }))
    // Each palitra backend against the best peer of its kind, the two compared in each round.
    const paired = results
      .filter((r) => typeof r.pairedRatio === 'number' && r.peer)
      .map((r) => ({
        subject: subjectLabel(r.subject),
        peer: r.peer,
        ratio: `${formatNumber(r.pairedRatio)}x`,
        spread: typeof r.pairedSpreadPct === 'number' ? `±${Math.round(r.pairedSpreadPct)}%` : '',
      }))
    return {
      name: workload.name,
      about: workload.about,
      unit: unit.label,
      short: unit.short,
      log: scale.log,
      rows,
      missing,
      paired,
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
