/**
 * `@palitra/channel`: the shared-buffer channel between a blocked caller and a host thread, which
 * the worker backend serves tasks over and the subprocess backend reaches its relay thread by.
 */

export { isJsonExact } from './body-codec.js'
export { filterExecArgv } from './exec-argv.js'
export {
  type ChannelEnd,
  channelTransport,
  leaveDeathReport,
  recordHostPid,
  serveChannel,
} from './server.js'
export { createThreadSession, sharedMemoryMissing, type ThreadSessionOptions } from './session.js'
export { defaultSpin, resolveSpin, type SpinPolicy } from './spin.js'
export { writeAllSync, writeStdioStraightToFds } from './sync-stdio.js'
