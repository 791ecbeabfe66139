// One module, loaded once per host: with a pool of two workers there are two copies of `prices`.
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { getSignal } from '@palitra/core/task'

const prices = new Map([
  ['apple', 1.2],
  ['pear', 0.9],
  ['plum', 2.5],
])

export async function fetchPrice(fruit) {
  await sleep(50, undefined, { signal: getSignal() }) // a slow remote lookup
  if (!prices.has(fruit)) throw new RangeError(`no price for ${fruit}`)
  return prices.get(fruit)
}

// CPU-bound: only a pool runs several of these at the same time.
export async function fingerprint(text) {
  let digest = text
  for (let i = 0; i < 20_000; i++) digest = createHash('sha256').update(digest).digest('hex')
  return digest.slice(0, 12)
}
