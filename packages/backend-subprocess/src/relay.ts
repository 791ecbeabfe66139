/**
 * The relay thread: the caller blocks on the shared-buffer channel (a blocked thread cannot read
 * a child's pipes), and this thread, whose event loop stays free, owns the child and its IPC.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { readSync } from 'node:fs'
import type { Socket } from 'node:net'
import { workerData } from 'node:worker_threads'
import type { HostRequest } from '@palitra/core'
import {
  type ChannelEnd,
  leaveDeathNote,
  recordHostPid,
  serveChannel,
  writeAllSync,
} from '@palitra/core/backend'
import { frameSocket } from './frames.js'
import type { FromChild, ToChild } from './messages.js'
import type { ChildInit } from './options.js'

const { channel, init } = workerData as { channel: ChannelEnd; init: ChildInit }
const stderrTailLines = 20

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
}

const pending = new Map<number, Pending>()
/** Replies waiting for the child's stderr to catch up with what it had written when it answered. */
const held: { reply: FromChild; pending: Pending }[] = []
let stderrForwarded = 0
let stderrTail = ''
let nextId = 1

const child: ChildProcess = fork(init.childEntry, [init.moduleUrl], {
  execArgv: init.execArgv,
  env: init.env,
  cwd: init.cwd,
  // stdout straight to ours (written before the child answers); stderr through here for its
  // tail; fd 4 carries the calls (see frames.ts). The IPC channel only tells the child its parent
  // is gone.
  stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
})
const calls = frameSocket<FromChild, ToChild>(child.stdio[4] as Socket, (reply) => {
  const target = pending.get(reply.id)
  if (!target) return
  pending.delete(reply.id)
  held.push({ reply, pending: target })
  releaseHeld()
})

// The caller closed the runner while the child was starting: it could not kill what it never saw.
if (!recordHostPid(channel, child.pid ?? 0)) child.kill('SIGKILL')

function forwardStderr(chunk: Buffer): void {
  writeAllSync(2, chunk)
  stderrForwarded += chunk.length
  stderrTail = (stderrTail + chunk.toString('utf8'))
    .split('\n')
    .slice(-stderrTailLines - 1)
    .join('\n')
}

child.stderr!.on('data', (chunk: Buffer) => {
  forwardStderr(chunk)
  releaseHeld()
})

/**
 * The child is dead, so all it wrote to stderr is in the pipe; what the stream has not read yet
 * (a crashing task's last words) is read now, before this thread exits, instead of lost.
 */
function drainStderr(): void {
  const fd = (child.stderr as unknown as { _handle?: { fd?: number } })._handle?.fd
  if (fd === undefined || fd < 0) return
  const chunk = Buffer.allocUnsafe(64 * 1024)
  for (;;) {
    let read: number
    try {
      read = readSync(fd, chunk)
    } catch {
      return // EAGAIN: nothing left (a grandchild may still hold the pipe open).
    }
    if (read === 0) return
    forwardStderr(Buffer.from(chunk.subarray(0, read)))
  }
}

function deliver(reply: FromChild, target: Pending): void {
  if (reply.ok) target.resolve(reply.value)
  // A descriptor from the child's encodeThrown: the channel passes it on to the caller as it is.
  else target.reject(reply.error)
}

function releaseHeld(): void {
  while (held.length > 0 && held[0]!.reply.stderrBytes <= stderrForwarded) {
    const { reply, pending: target } = held.shift()!
    deliver(reply, target)
  }
}

// Exiting only here, once the child is reaped, is what leaves no zombie: a relay thread ended
// before its child's exit was seen takes the only handle that could reap it along.
child.on('exit', (code, signal) => {
  recordHostPid(channel, 0)
  drainStderr()
  leaveDeathNote(channel, {
    exitCode: code ?? undefined,
    signal: signal ?? undefined,
    stderr: stderrTail.trim() || undefined,
    reason: 'the child process exited',
  })
  process.exit(1)
})

child.on('error', (error) => {
  leaveDeathNote(channel, { reason: `the child process could not run: ${error.message}` })
  process.exit(1)
})

serveChannel(
  channel,
  (request: HostRequest, scope) =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      calls.send({ id, request })
      scope.signal.addEventListener(
        'abort',
        () => {
          calls.send({ abort: id, reason: (scope.signal.reason as Error)?.message })
          // A task that ignores its signal cannot be stopped any other way: end the child, which
          // also ends this relay with a death note the caller reads as a replaced host.
          setTimeout(() => {
            if (pending.has(id)) child.kill('SIGKILL')
          }, init.abortGraceMs / 2).unref()
        },
        { once: true },
      )
    }),
)
