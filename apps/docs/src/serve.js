#!/usr/bin/env node
// Serves the built site on 127.0.0.1 for a look in a browser: `node src/serve.js [--port 4173]`.
// Only for previewing: read-only, GET and HEAD, nothing outside dist/.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.resolve(here, '../dist') },
    port: { type: 'string', default: process.env.PORT ?? '4173' },
  },
})
const dir = path.resolve(values.dir)

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  const file = await find(req.url ?? '/')
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
    return
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
})

/**
 * The file for a request path, or null: `/` is index.html, and nothing outside `dir`.
 * @param {string} url
 * @returns {Promise<string | null>}
 */
async function find(url) {
  let pathname
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname)
  } catch {
    return null
  }
  let file = path.join(dir, pathname)
  if (file !== dir && !file.startsWith(dir + path.sep)) return null
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html')
    return (await stat(file)).isFile() ? file : null
  } catch {
    return null
  }
}

server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : values.port
  console.log(
    `docs: serving ${path.relative(process.cwd(), dir) || '.'} on http://127.0.0.1:${port}/`,
  )
})
