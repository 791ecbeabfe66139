export type {
  Backend,
  BackendFactory,
  BackendName,
  BatchAnswer,
  BatchSettlement,
  Capabilities,
  HostRequest,
  ServedRequest,
  Session,
  SessionInit,
} from './contract.js'
export { errorCodes, isPalitraError, PalitraError, type PalitraErrorCode } from './errors.js'
export { defaultRunnerOptions } from './options.js'
export { getRunner, syncFn } from './registry.js'
export { setDefaultBackend } from './resolve-backend.js'
export { closeAllRunners, createRunner } from './runner.js'
export type {
  BatchOptions,
  BatchResult,
  BatchResults,
  BatchSettledResults,
  BatchTaskName,
  CallOptions,
  IteratedItem,
  MapInput,
  MapTaskName,
  ResolvedRunnerOptions,
  Runner,
  RunnerOptions,
  RunnerState,
  SyncResult,
  SyncTasks,
  TaskCall,
  TaskIterator,
  TaskName,
  UntypedTasks,
} from './types.js'
