import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PalitraError } from './errors.js'
import { describe } from './options.js'

/**
 * Normalise what a user passes as `tasks` to a `file:` URL string, the one key everything uses:
 * a `URL`, a `file:` URL string, an absolute path, or a path relative to `process.cwd()`.
 */
export function toModuleUrl(tasks: unknown): string {
  if (tasks instanceof URL) return checkFileUrl(tasks.href)
  if (typeof tasks !== 'string' || tasks.length === 0) {
    throw new PalitraError(
      'ERR_PALITRA_INVALID_ARGUMENT',
      `tasks must be a file URL or a path to an ES module, got ${describe(tasks)}`,
    )
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(tasks) && !/^[a-z]:[\\/]/i.test(tasks)) {
    return checkFileUrl(tasks)
  }
  return pathToFileURL(path.resolve(tasks)).href
}

function checkFileUrl(href: string): string {
  if (!href.startsWith('file:')) {
    throw new PalitraError(
      'ERR_PALITRA_INVALID_ARGUMENT',
      `tasks must be a file: URL or a path, got ${JSON.stringify(href)} (bare package specifiers are not supported yet)`,
    )
  }
  return new URL(href).href
}

export function moduleUrlToPath(moduleUrl: string): string {
  return fileURLToPath(moduleUrl)
}
