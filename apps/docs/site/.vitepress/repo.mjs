// Where the repository's own Markdown appears in the site, and how a link written for GitHub
// (relative to the README it is in) finds its page here. One table, read by the link plugin and
// by the dynamic package pages.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))
export const siteDir = fileURLToPath(new URL('../', import.meta.url))

/** Folders under packages/ that have a README, the contract first. */
export function packageDirs() {
  const dirs = readdirSync(path.join(repoRoot, 'packages')).filter((dir) =>
    existsSync(path.join(repoRoot, 'packages', dir, 'README.md')),
  )
  return dirs.sort((a, b) => Number(b === 'core') - Number(a === 'core') || a.localeCompare(b))
}

/** The repository file a page shows whole (its links are relative to that file). */
export function sourceOfPage(relativePath) {
  if (relativePath === 'reference/readme.md') return 'README.md'
  if (relativePath === 'benchmarks/running.md') return 'apps/bench/README.md'
  const pkg = /^packages\/([^/]+)\.md$/.exec(relativePath)
  return pkg ? `packages/${pkg[1]}/README.md` : null
}

/** The site page (without hash) for a repository path, or null when the site has none. */
export function pageOfRepoPath(repoPath) {
  const p = repoPath.replace(/\/+$/, '')
  if (p === '' || p === 'README.md') return '/reference/readme'
  if (p === 'apps/bench' || p === 'apps/bench/README.md') return '/benchmarks/running'
  if (p === 'apps/bench/results' || p === 'apps/bench/results/latest.json') return '/benchmarks/'
  const pkg = /^packages\/([^/]+)(?:\/README\.md)?$/.exec(p)
  if (pkg && existsSync(path.join(repoRoot, 'packages', pkg[1], 'README.md'))) {
    return `/packages/${pkg[1]}`
  }
  // The site's own pages, linked from a README as files of the repository.
  const own = /^apps\/docs\/site\/(.+)\.md$/.exec(p)
  if (own) return `/${own[1].replace(/(^|\/)index$/, '$1')}`
  return null
}

/** The npm name of a package folder (its package.json), or the folder name. */
export function packageName(dir) {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, 'packages', dir, 'package.json'), 'utf8'))
      .name
  } catch {
    return dir
  }
}
