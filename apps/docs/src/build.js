#!/usr/bin/env node
// Builds the documentation site: `node src/build.js [--root <repo>] [--out <dir>]`.
// Defaults: the repository this package lives in, and apps/docs/dist.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildSite } from './site.js'

const here = path.dirname(fileURLToPath(import.meta.url))

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: path.resolve(here, '../../..') },
    out: { type: 'string', default: path.resolve(here, '../dist') },
  },
})

const result = await buildSite({
  root: path.resolve(values.root),
  outDir: path.resolve(values.out),
})
const where = path.relative(process.cwd(), result.outDir) || '.'
console.log(
  `docs: ${result.pages.length} pages (${result.pages.join(', ')}) and ${result.files.length} copied files in ${where}`,
)
