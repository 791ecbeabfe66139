// palitra: one module, as many tasks as it exports, and module state kept between calls.
import { readFile } from 'node:fs/promises'

export async function readName(file) {
  return JSON.parse(await readFile(file, 'utf8')).name
}
