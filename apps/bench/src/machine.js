import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

/** Node and the machine, for the header, the charts and the JSON. */
export function machineInfo() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  }
}

/** @param {ReturnType<typeof machineInfo>} machine */
export function describeMachine(machine) {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB`
}

/**
 * Resident memory of a process and all its descendants, in MB: a subject that runs tasks in a
 * child process is charged for it. Reads /proc (Linux); elsewhere, this process alone.
 * @param {number} rootPid
 */
export function treeRssMb(rootPid) {
  let pids
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return process.memoryUsage.rss() / 2 ** 20
  }
  /** @type {Map<number, number[]>} */
  const children = new Map()
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(pid)])
    } catch {
      // It ended while we looked.
    }
  }
  let kb = 0
  const stack = [rootPid]
  while (stack.length > 0) {
    const pid = /** @type {number} */ (stack.pop())
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    } catch {
      // It ended while we looked.
    }
    stack.push(...(children.get(pid) ?? []))
  }
  return kb / 1024
}
