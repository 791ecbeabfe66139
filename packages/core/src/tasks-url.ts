import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { errors } from './errors.js'

/**
 * Normalise what a user passes as `tasks` to a `file:` URL string, the one key everything uses:
 * a `URL`, a `file:` URL string, an absolute path, or a path relative to `process.cwd()`.
 */
export function toModuleUrl(tasks: unknown): string {
  if (tasks instanceof URL) return checkFileUrl(tasks.href)
  if (typeof tasks !== 'string' || tasks.length === 0) {
    throw errors.expected({
      name: 'tasks',
      expected: 'a file URL or a path to an ES module',
      value: tasks,
    })
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(tasks) && !/^[a-z]:[\\/]/i.test(tasks)) {
    return checkFileUrl(tasks)
  }
  return pathToFileURL(path.resolve(tasks)).href
}

function checkFileUrl(href: string): string {
  if (!href.startsWith('file:')) {
    throw errors.invalidArgument({
      message: `tasks must be a file: URL or a path, got ${JSON.stringify(href)} (bare package specifiers are not supported yet)`,
    })
  }
  return new URL(href).href
}
