// The one task implementation every subject runs (wrapped per peer where its API demands a shape).
import http from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'

// Module scope: a persistent subject keeps it (and its open sockets) across calls.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

export async function inc(n) {
  return n + 1
}

export async function sleep(ms) {
  await delay(ms)
  return ms
}

export async function echo(value) {
  return value
}

export async function fetchLocal(port) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
      let length = 0
      response.on('data', (chunk) => {
        length += chunk.length
      })
      response.on('end', () => resolve(length))
    })
    request.setTimeout(10_000, () => request.destroy(new Error('local server did not answer')))
    request.on('error', reject)
  })
}
