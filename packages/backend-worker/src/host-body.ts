/**
 * The worker thread's host, compiled and run by host-entry.ts (with the code cache) as the body
 * of a function of `loadTasks` and `afterFirstReply`: task output goes straight to the process's
 * fds, and requests arrive through the shared-buffer channel. Not a module of its own: the build
 * makes it a script (no imports, no exports; see tsdown.config.ts).
 */
import { channelEndOf, hostInit, serveChannel, writeStdioStraightToFds } from '@palitra/channel'
import { createTaskHost } from '@palitra/core/backend'

/** The tasks module's import, begun by the entry before this was compiled. */
declare const loadTasks: () => Promise<Record<string, unknown>>
/** The entry's moment to write the code cache. */
declare const afterFirstReply: () => void

const { start, init } = hostInit<{ moduleUrl: string }>()
// The module runs only after this synchronous code, so its own output already goes to the fds.
const host = createTaskHost(init.moduleUrl, {
  backend: start.backend,
  loadAtOnce: true,
  load: loadTasks,
})
writeStdioStraightToFds()
channelEndOf(start).then((end) => serveChannel(end, host, { afterFirstReply }))
