// Or move the async code into a tasks module, and keep its state between calls.
import dns from 'node:dns/promises'

const cache = new Map()

export async function lookup(host) {
  if (!cache.has(host)) cache.set(host, (await dns.lookup(host, { family: 4 })).address)
  return cache.get(host)
}
