/**
 * The child process: the task host behind an IPC channel. It exits when the channel goes (its
 * parent died, even by SIGKILL, or the runner closed), so it is never orphaned.
 */

import { Socket } from 'node:net'
import { PalitraError } from '@palitra/core'
import {
  CallScope,
  createTaskHost,
  encodeThrown,
  findUncloneable,
  makeStdioPipesBlocking,
} from '@palitra/core/backend'
import { frameSocket } from './frames.js'
import type { FromChild, ToChild } from './messages.js'

// Every byte a task writes is in the pipe before its answer leaves, and none waits in this
// process's memory for a close() that kills it (stdout is the caller's own, stderr the relay's).
makeStdioPipesBlocking()

const moduleUrl = process.argv[2]!
const host = createTaskHost(moduleUrl, { backend: 'subprocess' })
const inFlight = new Map<number, CallScope>()

// Count what reaches stderr, so the relay can forward all of it before it hands over a reply.
let stderrBytes = 0
const writeStderr = process.stderr.write.bind(process.stderr)
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  stderrBytes +=
    typeof chunk === 'string'
      ? Buffer.byteLength(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8')
      : chunk.byteLength
  return (writeStderr as (...args: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stderr.write

const callSocket = new Socket({ fd: 4, readable: true, writable: true })

const send = (message: FromChild) => {
  try {
    calls.send(message)
  } catch (error) {
    if (!message.ok) throw error
    const where = findUncloneable(message.value, 'result')
    const failure = new PalitraError(
      'ERR_PALITRA_SERIALIZE',
      `the task's result cannot be sent back to the caller: ${where ?? (error as Error).message}`,
      { backend: 'subprocess', path: where?.split(' ')[0] },
    )
    calls.send({ id: message.id, ok: false, error: encodeThrown(failure), stderrBytes })
  }
}

// While a call is in flight nothing of ours holds the event loop open, so an empty loop
// ('beforeExit') means the call can never settle: it is answered with ERR_PALITRA_DEADLOCK.
const keepAliveWhileIdle = () => {
  if (inFlight.size === 0) callSocket.ref()
  else callSocket.unref()
}
process.channel?.unref()

const calls = frameSocket<ToChild, FromChild>(callSocket, (message) => {
  if ('abort' in message) {
    inFlight
      .get(message.abort)
      ?.abort(
        new PalitraError('ERR_PALITRA_TIMEOUT', String(message.reason), { backend: 'subprocess' }),
      )
    return
  }
  const scope = new CallScope()
  inFlight.set(message.id, scope)
  keepAliveWhileIdle()
  host.handle(message.request, scope).then(
    (value) =>
      // Without an `undefined` value the reply stays JSON, the cheap road (see frames.ts).
      settle(
        message.id,
        value === undefined
          ? { id: message.id, ok: true, stderrBytes }
          : { id: message.id, ok: true, value, stderrBytes },
      ),
    (error) =>
      settle(message.id, { id: message.id, ok: false, error: encodeThrown(error), stderrBytes }),
  )
})

function settle(id: number, reply: FromChild): void {
  if (!inFlight.delete(id)) return
  keepAliveWhileIdle()
  send({ ...reply, stderrBytes })
}

process.on('beforeExit', () => {
  for (const id of [...inFlight.keys()]) {
    const deadlock = new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      "the task's promise can never settle: nothing is left in the child's event loop that could settle it",
      { backend: 'subprocess' },
    )
    settle(id, { id, ok: false, error: encodeThrown(deadlock), stderrBytes })
  }
})

// A terminal's Ctrl-C (or a supervisor's SIGTERM to the whole group) reaches this child too, and
// would end it before the caller could run its teardown here. The child's life is its parent's:
// the caller handles the signal and closes the runner, and the parent's death ends the child.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {})

// The parent is gone (even by SIGKILL: the kernel closes its ends), or the runner closed.
process.on('disconnect', () => process.exit(0))
callSocket.on('close', () => process.exit(0))
