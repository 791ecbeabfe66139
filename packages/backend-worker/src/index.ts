import type { ResourceLimits } from 'node:worker_threads'
import {
  createThreadSession,
  filterExecArgv,
  resolveSpin,
  type SpinPolicy,
  sharedMemoryMissing,
} from '@palitra/channel'
import type { Backend, BackendFactory, Capabilities } from '@palitra/core'

export interface WorkerBackendOptions {
  /** Node flags of the worker. Default: the caller's `process.execArgv`, minus flags that stop a worker starting (`--input-type`, `--eval`, ...). */
  execArgv?: string[]
  /** The worker's `process.env`. Default: a copy of the caller's. */
  env?: NodeJS.ProcessEnv
  /** V8 heap limits of the worker; past them it dies with ERR_PALITRA_CRASHED. Default: Node's. */
  resourceLimits?: ResourceLimits
  /** Busy-wait bounds in µs before sleeping, or `false` never to spin. Default: `{ caller: 50, host: 500 }`. */
  spin?: SpinPolicy | false
}

export const workerCapabilities: Capabilities = Object.freeze({
  inProcess: false,
  closures: false,
  serializes: true,
  isolation: 'thread',
  transferables: false,
  worksInMicrotask: true,
  restartsAfterCrash: true,
  ownFlags: true,
})

const hostEntry = new URL('./host-entry.js', import.meta.url)

/** Tasks run in one persistent worker thread per runner; the caller blocks on a shared buffer. */
export const workerBackend: BackendFactory<WorkerBackendOptions> = (options = {}): Backend => {
  const spin = resolveSpin(options.spin)
  return {
    name: 'worker',
    capabilities: workerCapabilities,
    options,
    unavailableReason: sharedMemoryMissing,
    createSession: ({ moduleUrl, options: runner }) =>
      createThreadSession({
        entry: hostEntry,
        init: { moduleUrl },
        moduleUrl,
        execArgv: options.execArgv ?? filterExecArgv(process.execArgv),
        execArgvInherited: options.execArgv === undefined,
        env: options.env,
        resourceLimits: options.resourceLimits,
        spin,
        backend: 'worker',
        hostKind: 'worker thread',
        runner,
      }),
  }
}
