/**
 * Entry of the worker thread that hosts a tasks module: task output goes straight to the
 * process's fds, and requests arrive through the shared-buffer channel.
 */
import { hostStart, serveChannel, writeStdioStraightToFds } from '@palitra/channel'
import { createTaskHost } from '@palitra/core/backend'

const { channel, init } = await hostStart<{ moduleUrl: string }>()
// The import starts first, to read the module's files while the rest is set up; the module
// itself runs only after this synchronous code, so its own output already goes to the fds.
const host = createTaskHost(init.moduleUrl, { backend: channel.backend, loadAtOnce: true })
writeStdioStraightToFds()
serveChannel(channel, host)
