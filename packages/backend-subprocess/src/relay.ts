/**
 * The relay thread: the caller blocks on the shared-buffer channel (a blocked thread cannot read
 * a child's pipes), and this thread, whose event loop stays free, owns the child and its IPC.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { readSync } from 'node:fs'
import type { Socket } from 'node:net'
import {
  channelEndOf,
  channelTransport,
  hostBackendSlots,
  hostInit,
  leaveDeathReport,
  type RawBody,
  rawCodec,
  recordHostPid,
  writeAllSync,
} from '@palitra/channel'
import { encodeThrown } from '@palitra/core/backend'
import { type Frame, formatAbort, readFrames, sendFrame } from './frames.js'
import type { ChildInit } from './options.js'
import { closeRoad, openRoad, recordStderrForwarded } from './road-slots.js'
import { appendToTail } from './stderr-tail.js'
import { encodeValue } from './wire-codec.js'

const { start, init } = hostInit<ChildInit>()
const channel = await channelEndOf(start)
const stderrTailLines = 20

/** Requests the child is working on: their replies go back to the caller. */
const pending = new Set<number>()
/** Replies waiting for the child's stderr to catch up with what it had written when it answered. */
const held: Frame[] = []
let stderrForwarded = 0
let stderrTail = ''

/**
 * The caller's direct road to the child (see direct-road.ts) needs a socket it can read by fd
 * without an event loop: Node's. Bun's and Deno's child sockets have no such fd to reach.
 */
const roadWanted = !process.versions.bun && !process.versions.deno && process.platform !== 'win32'
const slots = hostBackendSlots(channel)

const child: ChildProcess = fork(init.childEntry, [init.moduleUrl, roadWanted ? 'road' : ''], {
  execArgv: init.execArgv,
  env: init.env,
  cwd: init.cwd,
  // stdout straight to ours (written before the child answers); stderr through here for its
  // tail; fd 4 carries the calls (see frames.ts), fd 5 the caller's direct road. The IPC channel
  // only tells the child its parent is gone.
  stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe', ...(roadWanted ? ['pipe' as const] : [])],
})
const calls = child.stdio[4] as Socket
if (roadWanted) leaveRoadToCaller((child.stdio as unknown as Socket[])[5]!)
// Whatever ends this thread, the caller is off the road before the socket closes with it.
process.on('exit', () => closeRoad(slots))

/**
 * Stop reading the road's socket here (Node started it as it made the socket, before any byte
 * could come) and tell the caller its fd: from now on only the caller reads it.
 */
function leaveRoadToCaller(road: Socket): void {
  const handle = (
    road as unknown as { _handle?: { fd?: number; reading?: boolean; readStop?(): number } }
  )._handle
  if (typeof handle?.readStop !== 'function' || handle.fd === undefined || handle.fd < 0) return
  handle.readStop()
  handle.reading = false
  openRoad(slots, handle.fd)
}
readFrames(calls, (reply) => {
  if (!pending.has(reply.id)) return
  held.push(reply)
  releaseHeld()
})

// The caller closed the runner while the child was starting: it could not kill what it never saw.
if (!recordHostPid(channel, child.pid ?? 0)) child.kill('SIGKILL')

function forwardStderr(chunk: Buffer): void {
  writeAllSync(2, chunk)
  stderrForwarded += chunk.length
  recordStderrForwarded(slots, stderrForwarded)
  stderrTail = appendToTail(stderrTail, chunk.toString('utf8'), stderrTailLines)
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

function releaseHeld(): void {
  while (held.length > 0 && held[0]!.stderrBytes <= stderrForwarded) {
    const reply = held.shift()!
    pending.delete(reply.id)
    transport.holdLoop(pending.size === 0)
    // The child's bytes, as it encoded them: the caller decodes them.
    transport.reply(reply.id, reply)
  }
}

// Exiting only here, once the child is reaped, is what leaves no zombie: a relay thread ended
// before its child's exit was seen takes the only handle that could reap it along.
child.on('exit', (code, signal) => {
  recordHostPid(channel, 0)
  // Its last words first: a caller reading a reply on the road waits for them to be forwarded.
  drainStderr()
  closeRoad(slots)
  leaveDeathReport(channel, {
    exitCode: code ?? undefined,
    signal: signal ?? undefined,
    stderr: stderrTail.trim() || undefined,
    reason: 'the child process exited',
  })
  process.exit(1)
})

child.on('error', (error) => {
  leaveDeathReport(channel, { reason: `the child process could not run: ${error.message}` })
  process.exit(1)
})

// The relay runs no task code: it passes each request's bytes to the child and each reply's
// bytes back, reading neither. The child runs core's serve loop; this side only has to stop a
// child that ignores an abort. A call the caller hands over from its direct road comes as an
// empty request in `formatAdopt` and goes on as it is: the child answers it here, or says
// (`formatAnsweredOnRoad`) that the answer is already on the road, which goes back like a reply.
const transport = channelTransport<RawBody, RawBody>(channel, rawCodec)
transport.holdLoop(true)
transport.listen(
  (id, read) => {
    let request: RawBody
    try {
      request = read()
    } catch (error) {
      transport.reply(id, encodeValue({ ok: false, error: encodeThrown(error) }))
      return
    }
    sendFrame(calls, { format: request.format, id, stderrBytes: 0, bytes: request.bytes })
    pending.add(id)
    transport.holdLoop(false)
  },
  (id, note) => {
    const bytes = Buffer.from(JSON.stringify(note))
    sendFrame(calls, { format: formatAbort, id, stderrBytes: 0, bytes })
    // A task that ignores its signal cannot be stopped any other way: end the child, which also
    // ends this relay with a death report the caller reads as a replaced host.
    setTimeout(() => {
      if (pending.has(id)) child.kill('SIGKILL')
    }, init.abortGraceMs / 2).unref()
  },
)
