// The CLI's side of a measurement child: spawn it, ask it one thing at a time, and never wait
// longer than a deadline. A child that misses one is killed with its whole process group (peers
// leave helper processes behind: sync-rpc's server, make-synchronous's per-call children).
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const childScript = fileURLToPath(new URL('./child/measure.js', import.meta.url))

/** @type {Set<Session>} */
const live = new Set()

/**
 * @typedef {{ type: string, [key: string]: any }} Reply
 * A reply of type `timeout` or `exited` is made up here when the child gave none.
 */

export class Session {
  /**
   * @param {string} subject
   * @param {string} workload
   */
  constructor(subject, workload) {
    this.subject = subject
    /** @type {string[]} */
    this.stderr = []
    /** @type {((reply: Reply) => void) | undefined} */
    this.pending = undefined
    this.exited = false
    // detached: the child leads its own process group, so kill() reaches its helpers too.
    this.child = fork(childScript, [subject, workload], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    live.add(this)
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (chunk) => {
      this.stderr.push(...String(chunk).split('\n').filter(Boolean))
      this.stderr.splice(0, Math.max(0, this.stderr.length - 5))
    })
    this.child.on('message', (reply) => this.settle(/** @type {Reply} */ (reply)))
    this.child.on('error', (error) => this.settle({ type: 'failed', reason: error.message }))
    // 'exit', not 'close': a helper that inherited stderr may hold the pipe open after the exit.
    this.child.on('exit', (code, signal) => {
      this.exited = true
      live.delete(this)
      const last = this.stderr.at(-1)
      this.settle({
        type: 'failed',
        reason: `child exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`,
      })
    })
    this.loaded = this.next()
  }

  /** @param {Reply} reply */
  settle(reply) {
    const pending = this.pending
    this.pending = undefined
    pending?.(reply)
  }

  /** The child's next message, or a made-up reply once `timeoutMs` has passed. */
  next(timeoutMs = 30_000) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined
        this.kill()
        resolve({ type: 'timeout', reason: `no answer within ${timeoutMs / 1000} s (killed)` })
      }, timeoutMs)
      this.pending = (reply) => {
        clearTimeout(timer)
        resolve(reply)
      }
    })
  }

  /**
   * Send one request and wait for its reply.
   * @param {Record<string, unknown>} message
   * @param {number} timeoutMs
   * @returns {Promise<Reply>}
   */
  ask(message, timeoutMs) {
    if (this.exited) return Promise.resolve({ type: 'failed', reason: 'child already exited' })
    const reply = this.next(timeoutMs)
    this.child.send(message)
    return reply
  }

  /** Ask the child to close its runner and exit; kill it if it has not within a grace period. */
  async close(graceMs = 5_000) {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      this.child.send({ type: 'close' }, () => {})
      const timer = setTimeout(() => this.kill(), graceMs)
      await exited
      clearTimeout(timer)
    }
    this.kill()
  }

  /** Kill the child's process group (it and any helper it started). */
  kill() {
    live.delete(this)
    const pid = this.child.pid
    if (pid === undefined) return
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // The group is gone already.
    }
  }
}

/** Kill every child still running (on Ctrl-C, or when the CLI fails). */
export function killAllSessions() {
  for (const session of live) session.kill()
}
