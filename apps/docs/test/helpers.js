// Shared by the tests: temporary repositories and output folders, and checks of a built site.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after } from 'node:test'
import { buildSite } from '../src/site.js'

/** @type {string[]} */
const temporary = []
after(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })))
})

/**
 * A new empty folder, removed when the test file ends.
 * @param {string} prefix
 */
export async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(tmpdir(), `palitra-docs-${prefix}-`))
  temporary.push(dir)
  return dir
}

/**
 * Writes a small repository: `files` maps `/`-separated paths to their text.
 * @param {Record<string, string>} files
 * @returns {Promise<string>} its root
 */
export async function makeRepo(files) {
  const root = await tempDir('repo')
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, ...name.split('/'))
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
  }
  return root
}

/**
 * Builds the site of `root` into a new temporary folder.
 * @param {string} root
 */
export async function build(root) {
  const outDir = await tempDir('dist')
  const result = await buildSite({ root, outDir })
  /** @param {string} page */
  const read = (page) => readFile(path.join(outDir, ...page.split('/')), 'utf8')
  return { ...result, read }
}

/**
 * Every HTML file of a built site, as `/`-separated paths inside it.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
export async function htmlFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .map((file) => file.split(path.sep).join('/'))
    .sort()
}

/**
 * Every `href` and `src` of every page that points inside the site and does not resolve to an
 * existing file, or to an existing `id` in it. Returns readable problems; [] when all is well.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
export async function brokenLinks(dir) {
  /** @type {string[]} */
  const problems = []
  /** @type {Map<string, Set<string>>} */
  const idsByFile = new Map()
  const idsOf = async (/** @type {string} */ file) => {
    let ids = idsByFile.get(file)
    if (!ids) {
      const html = await readFile(file, 'utf8')
      ids = new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]))
      idsByFile.set(file, ids)
    }
    return ids
  }
  for (const page of await htmlFiles(dir)) {
    const file = path.join(dir, page)
    const html = await readFile(file, 'utf8')
    for (const [, attr, value] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
      const url = value.replaceAll('&amp;', '&')
      if (/^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) continue
      const [pathname, fragment] = splitFragment(url)
      const target = pathname === '' ? file : path.resolve(path.dirname(file), decodeURI(pathname))
      if (!target.startsWith(dir + path.sep)) {
        problems.push(`${page}: ${attr}="${value}" leaves the site`)
      } else if (!existsSync(target)) {
        problems.push(`${page}: ${attr}="${value}" points at a missing file`)
      } else if (fragment && target.endsWith('.html') && !(await idsOf(target)).has(fragment)) {
        problems.push(`${page}: ${attr}="${value}" points at a missing id`)
      }
    }
  }
  return problems
}

/**
 * The URLs of `<script src>` and `<link href>` that leave the site (`https://cdn…`, `//fonts…`).
 * @param {string} html
 * @returns {string[]}
 */
export function externalAssets(html) {
  /** @type {string[]} */
  const found = []
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    for (const [, url] of tag.matchAll(/\s(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)) {
      if (/^(?:[a-z][a-z\d+.-]*:|\/\/)/i.test(url)) found.push(url)
    }
  }
  return found
}

/**
 * @param {string} url
 * @returns {[string, string]}
 */
function splitFragment(url) {
  const at = url.indexOf('#')
  return at === -1 ? [url, ''] : [url.slice(0, at), decodeURIComponent(url.slice(at + 1))]
}
