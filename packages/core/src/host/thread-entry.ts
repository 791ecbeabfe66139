/**
 * Entry of a worker thread that hosts a tasks module (the worker backend starts it): task output
 * goes straight to the process's fds, and requests arrive through the shared-buffer channel.
 */
import { workerData } from 'node:worker_threads'
import { writeStdioStraightToFds } from '../wire/sync-stdio.js'
import { type ChannelEnd, serveChannel } from '../wire/thread-server.js'
import { createTaskHost } from './task-host.js'

const { channel, init } = workerData as {
  channel: ChannelEnd
  init: { moduleUrl: string; backend: string }
}
writeStdioStraightToFds()
const host = createTaskHost(init.moduleUrl, { backend: init.backend })
serveChannel(channel, (request, scope) => host.handle(request, scope))
