import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

export function machineInfo() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  }
}

/**
 * Resident memory of a process and all its descendants, in MB: subjects that run tasks in a
 * child process must be charged for it too. Linux /proc; elsewhere the process alone.
 */
export function treeRssMb(rootPid) {
  let entries
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return process.memoryUsage.rss() / 2 ** 20
  }
  const children = new Map()
  const rssPages = new Map()
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const parent = Number(fields[1])
      rssPages.set(Number(pid), Number(fields[21]))
      if (!children.has(parent)) children.set(parent, [])
      children.get(parent).push(Number(pid))
    } catch {
      // The process ended while we looked.
    }
  }
  const pageMb = 4096 / 2 ** 20
  let total = 0
  const stack = [rootPid]
  while (stack.length > 0) {
    const pid = stack.pop()
    total += (rssPages.get(pid) ?? 0) * pageMb
    stack.push(...(children.get(pid) ?? []))
  }
  return total
}
