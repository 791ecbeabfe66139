/**
 * Building blocks for backend packages (`@palitra/core/backend`); applications never need them.
 */

export {
  createThreadSession,
  sharedMemoryMissing,
  type ThreadSessionOptions,
} from './backend-kit/thread-session.js'
export { makeStdioPipesBlocking } from './blocking-stdio.js'
export { insideMicrotask } from './context.js'
export { createTaskHost, type TaskHost, type TaskHostOptions } from './host/task-host.js'
export { CallScope, runInScope } from './scope.js'
export { isJsonExact } from './wire/body-codec.js'
export { decodeThrown, type ErrorDescriptor, encodeThrown } from './wire/error-codec.js'
export { filterExecArgv } from './wire/exec-argv.js'
export { findUncloneable } from './wire/find-uncloneable.js'
export { defaultSpin, resolveSpin, type SpinPolicy } from './wire/spin.js'
export { writeAllSync, writeStdioStraightToFds } from './wire/sync-stdio.js'
export {
  type ChannelEnd,
  type DeathNote,
  leaveDeathNote,
  type Reply,
  type RequestHandler,
  recordHostPid,
  serveChannel,
} from './wire/thread-server.js'

/** Entry module of a worker thread hosting a tasks module behind the channel. */
export const threadHostEntry: URL = new URL('./thread-entry.js', import.meta.url)
