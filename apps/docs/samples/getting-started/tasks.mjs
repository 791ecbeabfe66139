// tasks.mjs: every exported async function is a task. Module scope lives as long as the runner.
import { setTimeout as sleep } from 'node:timers/promises'
import { getSignal } from '@palitra/core/task'

const seen = new Map()

export async function greet(name) {
  await sleep(5, undefined, { signal: getSignal() }) // stands in for real async work
  seen.set(name, (seen.get(name) ?? 0) + 1)
  return `Hello, ${name} (visit ${seen.get(name)})`
}

export async function* countdown(from) {
  for (let n = from; n > 0; n--) yield n
}

export async function teardown() {
  seen.clear() // optional: runs on close()
}
