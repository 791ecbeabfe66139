/**
 * `@palitra/channel`: the shared-buffer channel between a blocked caller and a host thread, which
 * the worker backend serves tasks over and the subprocess backend reaches its relay thread by.
 */

export { isJsonExact, jsonLength, type WrittenBody } from './body-codec.js'
export { type BodyArea, type ChannelCodec, type MessageCodec, objectCodec } from './codec.js'
export { filterExecArgv } from './exec-argv.js'
export {
  type BodyEncoding,
  encodedCodec,
  RawBodies,
  type RawBody,
  rawCodec,
} from './raw-body.js'
export {
  type ChannelEnd,
  type ChannelTransport,
  channelEndOf,
  channelTransport,
  type HostHooks,
  hostBackendSlots,
  hostInit,
  leaveDeathReport,
  recordHostPid,
  serveChannel,
} from './server.js'
export {
  createThreadSession,
  type DirectOutcome,
  type DirectRoad,
  sharedMemoryMissing,
  type ThreadSessionOptions,
} from './session.js'
export { AdaptiveSpin, defaultSpin, resolveSpin, type SpinPolicy } from './spin.js'
export { cloneFromBytes, cloneToBytes, serializeAsStructuredClone } from './structured-bytes.js'
export { writeAllSync, writeStdioStraightToFds } from './sync-stdio.js'
