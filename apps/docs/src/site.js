// Puts the site together: decides the pages, renders each one, and writes them with the
// stylesheet and the copied repository files into the output folder (emptied first).
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderBenchmarks } from './bench.js'
import { escapeHtml } from './highlight.js'
import { layout } from './layout.js'
import { createLinkResolver, FILES_DIR, relativeUrl } from './links.js'
import { renderMarkdown } from './markdown.js'
import { collectSources } from './sources.js'

const STYLESHEET = 'assets/style.css'
const STYLESHEET_SOURCE = fileURLToPath(new URL('./style.css', import.meta.url))
const INDEX = 'index.html'
const BENCHMARKS = 'benchmarks.html'

/**
 * @typedef {object} BuildResult
 * @property {string} outDir
 * @property {string[]} pages paths of the pages written, inside outDir
 * @property {string[]} files paths of the copied repository files, inside outDir
 */

/**
 * Builds the whole site.
 * @param {object} options
 * @param {string} options.root absolute path of the repository root
 * @param {string} options.outDir absolute path of the output folder; emptied first
 * @returns {Promise<BuildResult>}
 */
export async function buildSite({ root, outDir }) {
  root = path.resolve(root)
  outDir = path.resolve(outDir)
  const fromOut = path.relative(outDir, root)
  if (fromOut === '' || (!fromOut.startsWith('..') && !path.isAbsolute(fromOut))) {
    throw new Error(`Refusing to empty ${outDir}: it holds the repository ${root}`)
  }
  const sources = await collectSources(root)
  const siteName = siteNameOf(sources)

  /** @type {Map<string, string>} repository path (file or folder) -> page */
  const pages = new Map([
    [root, INDEX],
    [path.join(root, 'README.md'), INDEX],
    [sources.bench.dir, BENCHMARKS],
    [path.join(sources.bench.dir, 'latest.json'), BENCHMARKS],
  ])
  for (const pkg of sources.packages) {
    pages.set(path.dirname(pkg.file), packagePage(pkg))
    pages.set(pkg.file, packagePage(pkg))
  }

  /** @type {Map<string, string>} repository path (posix) -> copy inside the site */
  const copies = new Map()
  const copy = (/** @type {string} */ repoPath) => {
    const target = `${FILES_DIR}/${repoPath}`
    copies.set(repoPath, target)
    return target
  }
  const resolveLink = createLinkResolver({ root, pages, copyFile: copy })

  /** @type {import('./layout.js').NavItem[]} */
  const nav = [
    { page: INDEX, label: 'Overview' },
    ...sources.packages.map((pkg) => ({
      page: packagePage(pkg),
      label: pkg.name,
      group: 'Packages',
    })),
    { page: BENCHMARKS, label: 'Benchmarks', group: 'Results' },
  ]

  /** @type {{ page: string, title: string, description?: string, rendered: import('./markdown.js').RenderedMarkdown }[]} */
  const rendered = []

  if (sources.readme) {
    const body = renderMarkdown(sources.readme.markdown, {
      fromFile: sources.readme.file,
      fromPage: INDEX,
      resolveLink,
    })
    rendered.push({ page: INDEX, title: body.title ?? siteName, rendered: body })
  } else {
    rendered.push({ page: INDEX, title: siteName, rendered: missingReadme(siteName) })
  }

  for (const pkg of sources.packages) {
    const page = packagePage(pkg)
    const body = renderMarkdown(pkg.markdown, { fromFile: pkg.file, fromPage: page, resolveLink })
    rendered.push({ page, title: pkg.name, description: pkg.description, rendered: body })
  }

  const benchBody = renderBenchmarks({
    charts: sources.bench.charts.map((chart) => ({
      name: chart.name,
      href: relativeUrl(BENCHMARKS, copy(toPosix(path.relative(root, chart.file)))),
    })),
    latest: sources.bench.latest && {
      ...sources.bench.latest,
      repoPath: toPosix(path.relative(root, sources.bench.latest.file)),
    },
  })
  rendered.push({ page: BENCHMARKS, title: 'Benchmarks', rendered: benchBody })

  await rm(outDir, { recursive: true, force: true })
  for (const { page, title, description, rendered: body } of rendered) {
    const html = layout({
      siteName,
      page,
      title,
      description,
      body: body.html,
      headings: body.headings,
      nav,
      stylesheet: STYLESHEET,
    })
    await writeOut(path.join(outDir, page), html)
  }
  await mkdir(path.dirname(path.join(outDir, STYLESHEET)), { recursive: true })
  await copyFile(STYLESHEET_SOURCE, path.join(outDir, STYLESHEET))
  for (const [repoPath, target] of copies) {
    const dest = path.join(outDir, target)
    await mkdir(path.dirname(dest), { recursive: true })
    await copyFile(path.join(root, repoPath), dest)
  }

  return { outDir, pages: rendered.map((r) => r.page), files: [...copies.values()] }
}

/** @param {import('./sources.js').PackageSource} pkg */
function packagePage(pkg) {
  return `packages/${pkg.dir}.html`
}

/**
 * The project's name: the root README's title, else "palitra".
 * @param {import('./sources.js').Sources} sources
 */
function siteNameOf(sources) {
  const title = sources.readme?.markdown.match(/^#\s+(.+?)\s*#*\s*$/m)?.[1]
  return title?.replace(/[`*_]/g, '') || 'palitra'
}

/**
 * @param {string} siteName
 * @returns {import('./markdown.js').RenderedMarkdown}
 */
function missingReadme(siteName) {
  return {
    html: `<h1 id="top">${escapeHtml(siteName)}</h1>\n<div class="notice"><p>The repository has no <code>README.md</code> yet; this page shows it once it exists.</p></div>\n`,
    title: siteName,
    headings: [{ depth: 1, id: 'top', text: siteName }],
  }
}

/**
 * @param {string} file
 * @param {string} text
 */
async function writeOut(file, text) {
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
}

/** @param {string} p */
function toPosix(p) {
  return p.split(path.sep).join('/')
}
