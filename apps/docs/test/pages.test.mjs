// The site's sources and build output, read as files: the pages the issue asks for exist, every
// code sample on a guide or recipe page is a real file that the tests run, the README's error
// table links to Troubleshooting, and the benchmark figures keep their units.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { errorCodes } from '@palitra/core'
import { describe, expect, it } from 'vitest'
import { benchView, formatNumber } from '../site/.vitepress/bench-view.mjs'
import { distDir, siteRoot } from './browser.mjs'
import { expectedPages } from './expected-pages.mjs'
import { docsDir, samplesDir } from './run-sample.mjs'

const repoRoot = path.join(docsDir, '..', '..')

const guideDirs = ['guide', 'recipes', 'migrate']
const guidePages = guideDirs.flatMap((dir) =>
  readdirSync(path.join(siteRoot, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(siteRoot, dir, f)),
)

// `<<< @/../samples/x.mjs#region{lang} [title]`
const snippetLine = /^<<<\s+@\/(\S+?)(?:#([\w-]+))?(?:\{[^}]*\})?(?:\s+\[[^\]]*\])?\s*$/gm

function snippetsOf(file) {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(snippetLine)].map((m) => ({
    file: path.join(siteRoot, m[1]),
    region: m[2],
  }))
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
}

describe('pages', () => {
  it.each(expectedPages)('%s is built', (page) => {
    expect(existsSync(path.join(distDir, `${page}.html`))).toBe(true)
  })
})

describe('code samples', () => {
  it('guide, recipe and migration pages have no inline JavaScript: every sample is a file that runs', () => {
    const inline = guidePages.flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /^```\s*(js|mjs|cjs|ts|mts|cts|javascript|typescript)\b/gm,
        ),
      ].map((m) => `${path.relative(siteRoot, file)}: \`\`\`${m[1]}`),
    )
    expect(inline).toEqual([])
  })

  it('every included sample file and region exists', () => {
    const missing = []
    for (const page of guidePages) {
      for (const { file, region } of snippetsOf(page)) {
        if (!existsSync(file)) missing.push(`${path.relative(siteRoot, page)}: ${file}`)
        else if (region && !readFileSync(file, 'utf8').includes(`#region ${region}`)) {
          missing.push(`${path.relative(siteRoot, page)}: ${file}#${region}`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('every sample file is shown on a page (no sample runs unseen, none is shown untested)', () => {
    const shown = new Set(guidePages.flatMap((page) => snippetsOf(page).map((s) => s.file)))
    const fixtures = new Set([
      'eslint-prettier/src/formatted.js',
      'eslint-prettier/src/unformatted.js',
    ])
    const unshown = listFiles(samplesDir)
      .filter((file) => !shown.has(file) && !fixtures.has(path.relative(samplesDir, file)))
      .map((file) => path.relative(samplesDir, file))
    expect(unshown).toEqual([])
  })

  it('every sample folder is run by the tests', () => {
    const tests = ['samples.test.mjs', 'postgres.test.mjs']
      .map((f) => readFileSync(path.join(docsDir, 'test', f), 'utf8'))
      .join('\n')
    const unrun = readdirSync(samplesDir).filter((dir) => !tests.includes(`'${dir}'`))
    expect(unrun).toEqual([])
  })
})

describe('errors', () => {
  const troubleshooting = readFileSync(path.join(distDir, 'guide', 'troubleshooting.html'), 'utf8')

  it.each(errorCodes)('%s has its own section, and the README links there', (code) => {
    const anchor = code.toLowerCase()
    expect(troubleshooting).toContain(`id="${anchor}"`)
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
    expect(readme).toContain(`| [\`${code}\`](apps/docs/site/guide/troubleshooting.md#${anchor}) |`)
  })

  it('the README page of the site links the codes to the Troubleshooting sections', () => {
    const page = readFileSync(path.join(distDir, 'reference', 'readme.html'), 'utf8')
    for (const code of errorCodes) {
      expect(page).toContain(`href="/guide/troubleshooting#${code.toLowerCase()}"`)
    }
  })
})

describe('benchmark figures', () => {
  const latest = JSON.parse(
    readFileSync(path.join(repoRoot, 'apps/bench/results/latest.json'), 'utf8'),
  )
  const view = benchView(latest)
  const workload = (name) => view.workloads.find((w) => w.name === name)

  it('startup is shown in milliseconds with the RSS it adds', () => {
    const startup = workload('startup')
    const raw = latest.results.find((r) => r.workload === 'startup' && r.subject === 'worker')
    const row = startup.rows.find((r) => r.subject === 'palitra worker')
    expect(startup.short).toBe('ms')
    expect(Number(row.value.replaceAll(',', ''))).toBeCloseTo(raw.coldMs, 0)
    expect(row.extras).toContainEqual(
      expect.objectContaining({ label: 'RSS', value: `+${Number(raw.rssMb.toPrecision(3))} MB` }),
    )
  })

  it('per-call workloads stay in µs, buffer-1m shows MB/s, keep-alive its connections', () => {
    expect(workload('tight-loop').short).toBe('µs')
    expect(workload('timer-1ms').unit).toBe('µs over the timer')
    expect(workload('buffer-1m').rows[0].extras.map((e) => e.label)).toContain('MB/s')
    expect(workload('keep-alive').rows[0].extras.map((e) => e.label)).toContain('TCP connections')
  })

  it('Choosing a backend and the synckit page quote the figures of the last run', () => {
    const worker = workload('tight-loop').rows.find((r) => r.subject === 'palitra worker').value
    const startup = workload('startup').rows.find((r) => r.subject === 'palitra subprocess')
    const choosing = readFileSync(path.join(distDir, 'guide', 'choosing-a-backend.html'), 'utf8')
    expect(choosing).toContain(`<td>${worker} µs</td>`)
    expect(choosing).toContain(
      `<td>${startup.value} ms, ${startup.extras.find((e) => e.label === 'RSS').value}</td>`,
    )
    const synckit = readFileSync(path.join(distDir, 'migrate', 'synckit.html'), 'utf8')
    expect(synckit).toContain(`cost ${worker} µs a call`)
  })

  it('each palitra backend is shown against the best peer of its kind, round by round', () => {
    const raw = latest.results.find((r) => r.workload === 'startup' && r.subject === 'worker')
    expect(workload('startup').paired).toContainEqual({
      subject: 'palitra worker',
      peer: raw.peer,
      ratio: `${formatNumber(raw.pairedRatio)}x`,
      spread: `±${Math.round(raw.pairedSpreadPct)}%`,
    })
    const page = readFileSync(path.join(distDir, 'benchmarks', 'index.html'), 'utf8')
    expect(page).toContain(`is ${formatNumber(raw.pairedRatio)}x ${raw.peer}`)
  })

  it('subjects that could not run are listed with the reason, never dropped', () => {
    const failed = latest.results.filter((r) => typeof r[r.figure] !== 'number')
    const listed = view.workloads.flatMap((w) => w.missing)
    expect(listed).toHaveLength(failed.length)
    expect(listed.every((m) => m.reason.length > 0)).toBe(true)
  })

  it('every bar is on the chart (0–100%) and wide ranges use a log scale', () => {
    for (const w of view.workloads) {
      for (const row of w.rows) {
        expect(row.bar).toBeGreaterThan(0)
        expect(row.bar).toBeLessThanOrEqual(100)
      }
    }
    expect(workload('tight-loop').log).toBe(true) // 0.2 µs to 160,000 µs
  })
})
