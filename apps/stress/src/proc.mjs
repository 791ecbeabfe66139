// What this process holds, read from /proc (Linux): threads, live and zombie children, memory.
import { readdirSync, readFileSync } from 'node:fs'

export const hasProc = process.platform === 'linux'

/** Threads of this process (the main thread, Node's own pool, and any Worker). */
export function threadCount() {
  return readdirSync('/proc/self/task').length
}

/** This process's direct children, split into live ones and zombies (exited, never reaped). */
export function children(pid = process.pid) {
  let live = 0
  let zombies = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(ppid) !== pid) continue
    if (state === 'Z') zombies++
    else live++
  }
  return { live, zombies }
}

export const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10

/** Collect garbage (needs --expose-gc) and let finalizers and exits run. */
export async function settle(rounds = 4) {
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Poll `probe` until `done(value)` holds or `timeoutMs` passes; returns the last value either way,
 * so the caller reports what it saw. Threads end and children are reaped asynchronously.
 */
export async function waitUntil(probe, done, timeoutMs) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (done(value) || performance.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
