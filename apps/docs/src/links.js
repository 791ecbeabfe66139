// Maps links written between files of the repository (`../../README.md#api`) to links between
// the generated pages (`../index.html#api`), and images to copies inside the site.
import { statSync } from 'node:fs'
import path from 'node:path'

/** Where copies of repository files (images, charts) go inside the site. */
export const FILES_DIR = 'files'

/**
 * @typedef {{ href: string } | { unlinked: true, repoPath: string }} ResolvedLink
 * A site-relative href, or a repository file the site has no page for (rendered as plain text).
 */

/**
 * @typedef {(href: string, kind: 'link' | 'image', fromFile: string, fromPage: string) => ResolvedLink} LinkResolver
 */

/**
 * @param {object} options
 * @param {string} options.root absolute path of the repository root
 * @param {Map<string, string>} options.pages absolute repository path (file or folder) -> page path in the site
 * @param {(repoPath: string) => string} options.copyFile records a repository file to copy into the
 *   site and returns its path in the site
 * @returns {LinkResolver}
 */
export function createLinkResolver({ root, pages, copyFile }) {
  return (href, kind, fromFile, fromPage) => {
    if (href === '' || href.startsWith('#') || isExternal(href)) return { href }
    const { pathname, hash } = splitHref(href)
    const base = pathname.startsWith('/') ? root : path.dirname(fromFile)
    const target = path.resolve(base, `.${path.sep}${pathname}`)
    const repoPath = toPosix(path.relative(root, target))
    if (repoPath.startsWith('..') || path.isAbsolute(repoPath)) return { unlinked: true, repoPath }
    const page = pages.get(target)
    if (page !== undefined) return { href: relativeUrl(fromPage, page) + hash }
    if (kind === 'image' || isImage(target)) {
      if (isFile(target)) return { href: relativeUrl(fromPage, copyFile(repoPath)) + hash }
    }
    return { unlinked: true, repoPath: repoPath || '.' }
  }
}

/**
 * True for `https://…`, `mailto:…`, `//host/…`: anything that is not a path in the repository.
 * @param {string} href
 */
export function isExternal(href) {
  return /^[a-z][a-z\d+.-]*:/i.test(href) || href.startsWith('//')
}

/**
 * The URL of page `to` as seen from page `from` (both paths inside the site, `/`-separated).
 * @param {string} from
 * @param {string} to
 */
export function relativeUrl(from, to) {
  const rel = path.posix.relative(path.posix.dirname(from), to) || path.posix.basename(to)
  return rel.split('/').map(encodeURIComponent).join('/')
}

/**
 * @param {string} href
 * @returns {{ pathname: string, hash: string }}
 */
function splitHref(href) {
  const hashAt = href.indexOf('#')
  const hash = hashAt === -1 ? '' : href.slice(hashAt)
  const withoutHash = hashAt === -1 ? href : href.slice(0, hashAt)
  const queryAt = withoutHash.indexOf('?')
  const raw = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt)
  let pathname = raw
  try {
    pathname = decodeURI(raw)
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  return { pathname, hash }
}

/** @param {string} file */
function isImage(file) {
  return /\.(svg|png|jpe?g|gif|webp|avif)$/i.test(file)
}

/** @param {string} file */
function isFile(file) {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** @param {string} p */
function toPosix(p) {
  return p.split(path.sep).join('/')
}
