// Collects what the site is made of, straight from the repository: the root README, each
// package README and the benchmark results. Anything missing is reported as missing, never thrown.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * @typedef {object} MarkdownSource
 * @property {string} file absolute path of the Markdown file
 * @property {string} markdown its text
 */

/**
 * @typedef {object} PackageSource
 * @property {string} dir the folder name under packages/ (`core`)
 * @property {string} name the npm name from package.json, or the folder name
 * @property {string} description package.json's description, or ''
 * @property {string} file absolute path of its README.md
 * @property {string} markdown the README's text
 */

/**
 * @typedef {object} BenchSource
 * @property {string} dir absolute path of apps/bench/results
 * @property {{ name: string, file: string }[]} charts the SVG charts, sorted by name
 * @property {{ file: string, data?: unknown, error?: string } | null} latest latest.json, parsed
 */

/**
 * @typedef {object} Sources
 * @property {string} root the repository root
 * @property {MarkdownSource | null} readme the root README.md
 * @property {PackageSource[]} packages packages that have a README.md (core first)
 * @property {BenchSource} bench
 */

/**
 * Reads everything the site is generated from.
 * @param {string} root absolute path of the repository root
 * @returns {Promise<Sources>}
 */
export async function collectSources(root) {
  const [readme, packages, bench] = await Promise.all([
    readMarkdown(path.join(root, 'README.md')),
    collectPackages(root),
    collectBench(path.join(root, 'apps', 'bench', 'results')),
  ])
  return { root, readme, packages, bench }
}

/**
 * @param {string} file
 * @returns {Promise<MarkdownSource | null>}
 */
async function readMarkdown(file) {
  const markdown = await readText(file)
  return markdown === null ? null : { file, markdown }
}

/**
 * @param {string} root
 * @returns {Promise<PackageSource[]>}
 */
async function collectPackages(root) {
  const packagesDir = path.join(root, 'packages')
  const dirs = await listDir(packagesDir)
  /** @type {PackageSource[]} */
  const found = []
  for (const dir of dirs) {
    const readme = await readMarkdown(path.join(packagesDir, dir, 'README.md'))
    if (!readme) continue
    const manifest = parseJson(await readText(path.join(packagesDir, dir, 'package.json')))
    const name = typeof manifest?.name === 'string' ? manifest.name : dir
    const description = typeof manifest?.description === 'string' ? manifest.description : ''
    found.push({ dir, name, description, ...readme })
  }
  // The contract first, then the rest by folder name.
  return found.sort((a, b) => rank(a) - rank(b) || a.dir.localeCompare(b.dir))
}

/** @param {PackageSource} pkg */
function rank(pkg) {
  return pkg.dir === 'core' ? 0 : 1
}

/**
 * @param {string} dir
 * @returns {Promise<BenchSource>}
 */
async function collectBench(dir) {
  const entries = await listDir(dir)
  const charts = entries
    .filter((name) => name.toLowerCase().endsWith('.svg'))
    .map((name) => ({ name, file: path.join(dir, name) }))
  const latestFile = path.join(dir, 'latest.json')
  const text = await readText(latestFile)
  /** @type {BenchSource['latest']} */
  let latest = null
  if (text !== null) {
    try {
      latest = { file: latestFile, data: JSON.parse(text) }
    } catch (error) {
      latest = { file: latestFile, error: error instanceof Error ? error.message : String(error) }
    }
  }
  return { dir, charts, latest }
}

/**
 * The sorted names of the entries of a folder, or [] when there is no such folder.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function listDir(dir) {
  try {
    return (await readdir(dir)).sort()
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
}

/**
 * A file's text, or null when it does not exist (or is a folder).
 * @param {string} file
 * @returns {Promise<string | null>}
 */
export async function readText(file) {
  try {
    if (!(await stat(file)).isFile()) return null
    return await readFile(file, 'utf8')
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
}

/**
 * @param {string | null} text
 * @returns {any}
 */
function parseJson(text) {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** @param {unknown} error */
function isMissing(error) {
  const code = /** @type {{ code?: string }} */ (error)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
