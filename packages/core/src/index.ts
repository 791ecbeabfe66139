export { errorCodes, isPalitraError, PalitraError, type PalitraErrorCode } from './errors.js'
export { defaultRunnerOptions } from './options.js'
export { getRunner, syncFn } from './registry.js'
export { setDefaultBackend } from './resolve-backend.js'
export { closeAllRunners, createRunner } from './runner.js'
export type {
  Backend,
  BackendFactory,
  BackendName,
  BatchAnswer,
  BatchOptions,
  BatchResult,
  BatchResults,
  BatchSettledResults,
  BatchSettlement,
  BatchTaskName,
  CallOptions,
  Capabilities,
  HostRequest,
  IteratedItem,
  MapInput,
  MapTaskName,
  ResolvedRunnerOptions,
  Runner,
  RunnerOptions,
  RunnerState,
  Session,
  SessionInit,
  SyncResult,
  SyncTasks,
  TaskCall,
  TaskIterator,
  TaskName,
  UntypedTasks,
} from './types.js'
