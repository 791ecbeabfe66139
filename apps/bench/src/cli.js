// pnpm bench: every subject on every workload, alternating within each round, medians of rounds.
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, usage } from './args.js'
import { machineInfo } from './machine.js'
import { runMeasurement } from './run-child.js'
import { median, spreadPercent } from './stats.js'
import { renderSvg } from './svg.js'
import { renderTable } from './table.js'
import { findWorkload } from './workloads.js'

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url))

function progress(text) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`)
  else process.stderr.write(`${text}\n`)
}

function startServer() {
  const server = fork(fileURLToPath(new URL('./server.js', import.meta.url)), { stdio: 'ignore' })
  const ask = (message, key) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('local HTTP server did not answer')), 10_000)
      const onMessage = (reply) => {
        if (reply[key] === undefined) return
        clearTimeout(timer)
        server.off('message', onMessage)
        resolve(reply[key])
      }
      server.on('message', onMessage)
      if (message) server.send(message)
    })
  return {
    port: ask(undefined, 'port'),
    connections: () => ask('count', 'connections'),
    stop: () => server.kill(),
  }
}

async function benchWorkload(workload, options, onProgress) {
  const samples = new Map(options.subjects.map((subject) => [subject, []]))
  const extras = new Map()
  const failures = new Map()
  const server = workload.needsServer ? startServer() : undefined
  const port = server ? await server.port : undefined
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Rotate who goes first so no subject always runs on a cold (or hot) machine.
      const order = options.subjects.map(
        (_, i) => options.subjects[(i + round) % options.subjects.length],
      )
      for (const subject of order) {
        if (failures.has(subject)) continue
        onProgress(`${workload.name}  round ${round + 1}/${options.rounds}  ${subject}`)
        const before = server ? await server.connections() : 0
        const outcome = await runMeasurement({
          subject,
          workload: workload.name,
          quick: options.quick,
          port,
          timeoutMs: options.quick ? 60_000 : 120_000,
        })
        if (!outcome.metrics) {
          failures.set(subject, outcome)
          continue
        }
        const metrics = { ...outcome.metrics }
        if (server) metrics.connections = (await server.connections()) - before
        samples.get(subject).push(metrics)
      }
    }
  } finally {
    server?.stop()
  }
  const rows = options.subjects.map((subject) => {
    const runs = samples.get(subject)
    if (runs.length === 0) {
      const failure = failures.get(subject) ?? {}
      return { workload: workload.name, subject, unit: workload.unit, usPerCall: null, ...failure }
    }
    const perCall = runs.map((run) => run.usPerCall)
    const row = {
      workload: workload.name,
      subject,
      unit: workload.unit,
      usPerCall: median(perCall),
      spreadPercent: spreadPercent(perCall),
      rounds: runs.length,
      callsPerRound: median(runs.map((run) => run.calls)),
    }
    for (const key of ['mbPerSec', 'rssPerRunnerMb', 'coldMs', 'timerUs', 'totalUs', 'callerUs']) {
      if (runs[0][key] !== undefined) row[key] = median(runs.map((run) => run[key]))
    }
    if (runs[0].connections !== undefined) {
      row.connections = median(runs.map((run) => run.connections))
      row.callsPerConnection = median(runs.map((run) => run.calls / Math.max(1, run.connections)))
    }
    extras.set(subject, row)
    return row
  })
  const fastest = Math.min(
    ...rows.filter((row) => row.usPerCall !== null).map((row) => row.usPerCall),
  )
  for (const row of rows) if (row.usPerCall !== null) row.ratio = row.usPerCall / fastest
  return rows
}

async function main() {
  let options
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (error) {
    console.error(error.message)
    process.exit(2)
  }
  if (options.help) {
    console.log(usage)
    return
  }
  const machine = machineInfo()
  const header = `palitra bench · Node ${process.version} · ${machine.cpu} · ${machine.cores} cores · ${machine.memoryGb} GB${options.quick ? ' · quick' : ''}`
  console.error(header)
  const jsonPath = options.json ? path.resolve(options.json) : path.join(resultsDir, 'latest.json')
  const chartsDir = path.dirname(jsonPath)
  mkdirSync(chartsDir, { recursive: true })
  const results = []
  for (const [index, name] of options.workloads.entries()) {
    const workload = findWorkload(name)
    const rows = await benchWorkload(workload, options, (text) =>
      progress(`[${index + 1}/${options.workloads.length}] ${text}`),
    )
    results.push(...rows)
    writeFileSync(
      path.join(chartsDir, `${name}.svg`),
      renderSvg(workload, rows, {
        title: `${name}: ${workload.unit}`,
        subtitle: `Node ${process.version} · ${machine.cpu} · ${machine.cores} cores`,
      }),
    )
  }
  progress('')
  if (!process.stderr.isTTY) process.stderr.write('\n')
  console.log(renderTable(results, { header }))
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ node: process.version, machine, date: new Date().toISOString(), quick: options.quick, rounds: options.rounds, results }, null, 2)}\n`,
  )
  console.log(
    `results: ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), chartsDir) || '.'}/*.svg`,
  )
}

await main()
