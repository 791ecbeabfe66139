import type { ResourceLimits } from 'node:worker_threads'
import {
  createThreadSession,
  filterExecArgv,
  resolveSpin,
  type SpinPolicy,
  sharedMemoryMissing,
} from '@palitra/channel'
import type { Backend, BackendFactory, Capabilities } from '@palitra/core'
import { announceBackend } from '@palitra/core/backend'
import { createPoolSession, type PoolOptions, resolvePoolOptions } from '@palitra/pool'

export type { PoolOptions } from '@palitra/pool'

export interface WorkerBackendOptions {
  /** Node flags of the worker. Default: the caller's `process.execArgv`, minus flags that stop a worker starting (`--input-type`, `--eval`, ...). */
  execArgv?: string[]
  /** The worker's `process.env`. Default: a copy of the caller's. */
  env?: NodeJS.ProcessEnv
  /** V8 heap limits of the worker; past them it dies with ERR_PALITRA_CRASHED. Default: Node's. */
  resourceLimits?: ResourceLimits
  /** Busy-wait bounds in µs before sleeping, or `false` never to spin. Default: `{ caller: 50, host: 500 }`. */
  spin?: SpinPolicy | false
  /**
   * Several worker threads for this runner, managed by tinypool: calls go to a free thread and
   * batches spread over them. Each thread has its own instance of the tasks module (state is per
   * thread), and an open iterator holds its thread until it finishes. Default: one thread, no pool.
   */
  pool?: PoolOptions
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
  parallel: false,
})

/** A pooled worker runner: the same, with several threads serving it at once. */
export const workerPoolCapabilities: Capabilities = Object.freeze({
  ...workerCapabilities,
  parallel: true,
})

const hostEntry = new URL('./host-entry.js', import.meta.url)

/**
 * Tasks run in one persistent worker thread per runner (or a pool of them); the caller blocks on
 * a shared buffer.
 */
export const workerBackend: BackendFactory<WorkerBackendOptions> = (options = {}): Backend => {
  const spin = resolveSpin(options.spin)
  const pool = options.pool === undefined ? undefined : resolvePoolOptions('worker', options.pool)
  const execArgv = options.execArgv ?? filterExecArgv(process.execArgv)
  if (pool) {
    return {
      name: 'worker',
      capabilities: workerPoolCapabilities,
      options,
      unavailableReason: sharedMemoryMissing,
      createSession: (init) =>
        createPoolSession(init, {
          runtime: 'worker_threads',
          backend: 'worker',
          hostKind: 'worker thread',
          pool,
          execArgv,
          execArgvInherited: options.execArgv === undefined,
          env: options.env,
          resourceLimits: options.resourceLimits,
          spin,
        }),
    }
  }
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
        execArgv,
        execArgvInherited: options.execArgv === undefined,
        env: options.env,
        resourceLimits: options.resourceLimits,
        spin,
        backend: 'worker',
        hostKind: 'worker thread',
        runner,
        pipelinesLoad: true,
      }),
  }
}

// `backend: 'worker'` then finds this package without a `require` (see announceBackend).
announceBackend('worker', () => workerBackend())
