// Tasks that fail on purpose, one per error the Troubleshooting page explains.
import { setTimeout as sleep } from 'node:timers/promises'
import { getSignal } from '@palitra/core/task'

export async function ping() {
  return 'pong'
}

export async function slow(ms) {
  await sleep(ms, undefined, { signal: getSignal() }) // honours the timeout's abort
  return 'done'
}

export async function exitHost() {
  process.exit(3) // ends the worker thread, not your process
}

export async function makeCallback() {
  return () => 'a function cannot be cloned'
}

export async function neverSettles() {
  return new Promise(() => {}) // nothing left that could resolve it
}
