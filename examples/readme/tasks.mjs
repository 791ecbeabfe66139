// tasks.mjs
import { readFile } from 'node:fs/promises'
import { getSignal } from '@palitra/core/task'

const cache = new Map() // module scope lives as long as the runner

export async function readJson(file) {
  if (!cache.has(file)) {
    cache.set(file, JSON.parse(await readFile(file, { encoding: 'utf8', signal: getSignal() })))
  }
  return cache.get(file)
}

export async function cachedFiles() {
  return [...cache.keys()]
}

export async function* lines(text) {
  for (const line of text.split('\n')) yield line
}

export async function teardown() {
  cache.clear() // optional: runs on close()
}
