/**
 * The child process: core's serve loop over a socket to the relay. It exits when its parent goes
 * (the IPC channel disconnects, even when the parent was SIGKILLed) or the runner closes, so it
 * is never orphaned.
 */

import { createConnection, type NetConnectOpts, Socket } from 'node:net'
import { createTaskHost, serveHost } from '@palitra/core/backend'
import { frameTransport } from './child-transport.js'

const moduleUrl = process.argv[2]!

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

// fd 4 carries the calls. Bun's `new Socket({ fd })` neither reads nor writes (the child would
// exit at once); its `createConnection({ fd })` opens the inherited socket, which Node's refuses
// (it wants a port or a path, and so do its types).
const callSocket = process.versions.bun
  ? createConnection({ fd: 4 } as unknown as NetConnectOpts)
  : new Socket({ fd: 4, readable: true, writable: true })
// fd 5: the caller's direct road (see direct-road.ts), when the relay could open one. It never
// holds this process open: its life is the relay's, as fd 4 and the IPC channel tell.
const roadSocket =
  process.argv[3] === 'road' ? new Socket({ fd: 5, readable: true, writable: true }) : undefined
roadSocket?.unref()
process.channel?.unref()

// The import reads the module's files while the serve loop is set up (the module runs after it).
const host = createTaskHost(moduleUrl, { backend: 'subprocess', loadAtOnce: true })
serveHost(
  host,
  frameTransport(callSocket, roadSocket, () => stderrBytes),
  {
    backend: 'subprocess',
    hostKind: 'child process',
    acrossProcesses: true,
  },
)

// A terminal's Ctrl-C (or a supervisor's SIGTERM to the whole group) reaches this child too, and
// would end it before the caller could run its teardown here. The child's life is its parent's:
// the caller handles the signal and closes the runner, and the parent's death ends the child.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {})

// The parent is gone (even by SIGKILL: the kernel closes its ends), or the runner closed.
process.on('disconnect', () => process.exit(0))
callSocket.on('close', () => process.exit(0))
