/**
 * The relay thread: the caller blocks on the shared-buffer channel (a blocked thread cannot read
 * a child's pipes), and this thread, whose event loop stays free, owns the child and its IPC.
 */
import { type ChildProcess, fork } from 'node:child_process'
import type { Socket } from 'node:net'
import { workerData } from 'node:worker_threads'
import { type HostRequest, PalitraError } from '@palitra/core'
import {
  type ChannelEnd,
  decodeThrown,
  findUncloneable,
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

recordHostPid(channel, child.pid ?? 0)

child.stderr!.on('data', (chunk: Buffer) => {
  writeAllSync(2, chunk)
  stderrForwarded += chunk.length
  stderrTail = (stderrTail + chunk.toString('utf8'))
    .split('\n')
    .slice(-stderrTailLines - 1)
    .join('\n')
  releaseHeld()
})

function deliver(reply: FromChild, target: Pending): void {
  if (reply.ok) target.resolve(reply.value)
  // The child's encodeThrown made a descriptor; the channel encodes what this rejects with again,
  // so it is rebuilt here (the codec round-trips exactly) rather than sent as a plain object.
  else target.reject(decodeThrown(reply.error))
}

function releaseHeld(): void {
  while (held.length > 0 && held[0]!.reply.stderrBytes <= stderrForwarded) {
    const { reply, pending: target } = held.shift()!
    deliver(reply, target)
  }
}

child.on('exit', (code, signal) => {
  recordHostPid(channel, 0)
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
      try {
        calls.send({ id, request })
      } catch (error) {
        // It crossed to this thread, yet cannot go on to the child (shared memory, say).
        const args = request.op === 'call' ? request.args : request
        const where = findUncloneable(args, 'args', { acrossProcesses: true })
        reject(
          new PalitraError(
            'ERR_PALITRA_SERIALIZE',
            `an argument cannot be sent to the child process: ${where ?? (error as Error).message}`,
            { backend: 'subprocess', path: where?.split(' ')[0] },
          ),
        )
        return
      }
      pending.set(id, { resolve, reject })
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
