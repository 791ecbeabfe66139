/**
 * Entry of the worker thread that hosts a tasks module: task output goes straight to the
 * process's fds, and requests arrive through the shared-buffer channel.
 */
import { channelEndOf, hostInit, serveChannel, writeStdioStraightToFds } from '@palitra/channel'
import { createTaskHost } from '@palitra/core/backend'

const { start, init } = hostInit<{ moduleUrl: string }>()
// The import starts before anything else, to read the module's files meanwhile; the module
// itself runs only after this synchronous code, so its own output already goes to the fds.
const host = createTaskHost(init.moduleUrl, { backend: start.backend, loadAtOnce: true })
writeStdioStraightToFds()
serveChannel(await channelEndOf(start), host)
