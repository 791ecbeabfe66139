import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'

/**
 * Run a blocking body from a macrotask: test runners call tests inside promises, where an
 * in-process backend (deasync) must refuse to block. A `setImmediate` callback is a place every
 * backend can block in.
 */
export function inMacrotask<T>(body: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(body())
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** The error `body` throws (fails the test when it throws nothing), for assertions on it. */
export function caught(body: () => unknown): any {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

/** Wait (bounded) until `check` holds on what `read` gives; its last value either way. */
export async function eventually<T>(
  read: () => T,
  check: (value: T) => boolean,
  limitMs = 10_000,
): Promise<T> {
  const until = Date.now() + limitMs
  let value = read()
  while (!check(value) && Date.now() < until) {
    await delay(20)
    value = read()
  }
  return value
}

/** This process's threads (Linux: /proc). */
export const threadCount = (): number => readdirSync('/proc/self/task').length

/** The thread count once threads of earlier runners have finished exiting (unchanged for 250 ms). */
export async function settledThreadCount(limitMs = 10_000): Promise<number> {
  const until = Date.now() + limitMs
  let last = threadCount()
  let steady = 0
  while (steady < 5 && Date.now() < until) {
    await delay(50)
    const now = threadCount()
    steady = now === last ? steady + 1 : 0
    last = now
  }
  return last
}

/** Every child process of this process, whichever of its threads started it (Linux: /proc). */
export function childPids(): number[] {
  const pids: number[] = []
  for (const thread of readdirSync('/proc/self/task')) {
    try {
      const listed = readFileSync(`/proc/self/task/${thread}/children`, 'utf8').trim()
      if (listed) pids.push(...listed.split(/\s+/).map(Number))
    } catch {
      // The thread ended while we looked.
    }
  }
  return pids
}

/** Whether process `pid` exists (a zombie counts: it is not reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
