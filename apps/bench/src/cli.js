#!/usr/bin/env node
// pnpm bench: palitra's backends and the peers on the same workloads, side by side.
// Table on stdout, progress on stderr, JSON and one SVG per workload in results/ (or --json's folder).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, usage } from './args.js'
import { describeMachine, machineInfo } from './machine.js'
import { progressLine } from './progress.js'
import { withReadmeTable } from './readme.js'
import { runWorkload } from './run-workload.js'
import { killAllSessions } from './session.js'
import { floorSubjects, inProcessSubjects, palitraSubjects } from './subjects/index.js'
import { renderSvg } from './svg.js'
import { renderTable } from './table.js'
import { findWorkload } from './workloads.js'

const defaultJson = fileURLToPath(new URL('../results/latest.json', import.meta.url))
const rootReadme = fileURLToPath(new URL('../../../README.md', import.meta.url))

/** The results file's layout: 2 names each figure's unit in its field (`usPerCall`, `coldMs`, …). */
const schemaVersion = 2

/**
 * Rewrite the root README's benchmark table from a results file.
 * @param {string} jsonPath
 */
function writeReadme(jsonPath) {
  const report = JSON.parse(readFileSync(jsonPath, 'utf8'))
  writeFileSync(rootReadme, withReadmeTable(readFileSync(rootReadme, 'utf8'), report))
  console.log(
    `Wrote the benchmark table in ${path.relative(process.cwd(), rootReadme)} from ${path.relative(process.cwd(), jsonPath)}.`,
  )
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    killAllSessions()
    process.exit(130)
  })
}

async function main() {
  let options
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    return 2
  }
  if (options.help) {
    console.log(usage)
    return 0
  }
  const jsonPath = path.resolve(options.json ?? defaultJson)
  if (options.readmeOnly) {
    writeReadme(jsonPath)
    return 0
  }
  const machine = machineInfo()
  const node = process.version
  const header = `palitra bench · Node ${node} · ${describeMachine(machine)} · ${machine.os} · ${options.rounds} rounds${options.quick ? ' (quick)' : ''} · seed ${options.seed}`
  const outDir = path.dirname(jsonPath)
  mkdirSync(outDir, { recursive: true })
  const progress = progressLine()
  process.stderr.write(`${header}\n`)

  const workloads = options.workloads.map(findWorkload)
  /** @type {Array<Record<string, any>>} */
  const results = []
  const started = performance.now()
  /** @type {Record<string, number>} */
  const secondsPerWorkload = {}
  for (const [index, workload] of workloads.entries()) {
    const workloadStarted = performance.now()
    const rows = await runWorkload(workload, options, (text) =>
      progress.update(`[${index + 1}/${workloads.length}] ${workload.name} · ${text}`),
    )
    results.push(...rows)
    secondsPerWorkload[workload.name] = Math.round((performance.now() - workloadStarted) / 100) / 10
    writeFileSync(
      path.join(outDir, `${workload.name}.svg`),
      renderSvg(workload, rows, {
        subtitle: `Node ${node} · ${describeMachine(machine)} · median of ${options.rounds} rounds`,
        isPalitra: (subject) => palitraSubjects.has(subject),
        isFloor: (subject) => floorSubjects.has(subject),
        isInProcess: (subject) => inProcessSubjects.has(subject),
      }),
    )
  }
  progress.done()
  const seconds = (performance.now() - started) / 1000
  console.log(renderTable(results, { header, workloads, inProcess: inProcessSubjects }))
  const report = {
    schemaVersion,
    node,
    machine,
    date: new Date().toISOString(),
    quick: options.quick,
    rounds: options.rounds,
    seed: options.seed,
    seconds: Math.round(seconds * 10) / 10,
    workloads: workloads.map(({ name, about, unit, figure }) => ({
      name,
      about,
      unit,
      figure,
      seconds: secondsPerWorkload[name],
    })),
    results,
  }
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  const shown = path.relative(process.cwd(), outDir) || '.'
  console.log(
    `\nWrote ${path.relative(process.cwd(), jsonPath)} and ${workloads.length} chart(s) in ${shown}/ (${seconds.toFixed(0)} s).`,
  )
  // The README's table is made from the default results file: a run that rewrites that file
  // rewrites the table too, so the two never disagree (the Quick start runs the bench, then the
  // tests, which check exactly that).
  if (options.readme || options.json === undefined) writeReadme(jsonPath)
  return 0
}

try {
  process.exitCode = await main()
} catch (error) {
  killAllSessions()
  throw error
}
