// What this process holds, read from /proc (Linux): its live and zombie children and their memory;
// and settling.
import { readdirSync, readFileSync } from 'node:fs'
import { childPids } from '@palitra/conformance'

export const hasProc = process.platform === 'linux'

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

/** Resident memory of this process's children together, in bytes (0 without /proc). */
export function childrenRss() {
  if (!hasProc) return 0
  let total = 0
  for (const pid of childPids()) {
    try {
      const resident = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      total += resident ? Number(resident[1]) * 1024 : 0
    } catch {
      // It ended while we looked.
    }
  }
  return total
}

export const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10

/** Collect garbage (needs --expose-gc) and let finalizers and exits run. */
export async function settle(rounds = 4) {
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
