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

/** The timer as this thread saw it, in µs: what a timer-bound call costs above it is the rest. */
export async function timedSleep(ms) {
  const started = performance.now()
  await delay(ms)
  return (performance.now() - started) * 1000
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

/**
 * Fixed CPU work for cpu-map (~25 ms on a current x64 core): an xorshift loop the JIT cannot fold
 * away, returning a checksum so the caller can check every item ran in full.
 */
export async function crunch(rounds) {
  let a = 0x9e3779b9 | 0
  let b = 0x85ebca6b | 0
  for (let i = 0; i < rounds; i++) {
    a ^= a << 13
    a ^= a >>> 17
    a ^= a << 5
    b = (b + a) | 0
  }
  return b >>> 0
}
