// Runs in the runner's host, where a config file may use top-level await or export a promise.
import { stat } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'

export async function loadConfig(file) {
  // The modification time in the URL makes an edited file load again instead of from cache.
  const { mtimeMs } = await stat(file)
  const module = await import(`${pathToFileURL(file).href}?mtime=${mtimeMs}`)
  const exported = module.default
  const config = typeof exported === 'function' ? await exported() : await exported
  if (config === null || typeof config !== 'object') {
    throw new TypeError(`${file} must export an object (or a function returning one)`)
  }
  return config
}
