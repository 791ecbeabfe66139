import type { ResourceLimits } from 'node:worker_threads'
import { createThreadSession, type SpinPolicy } from '@palitra/channel'
import type { Session, SessionInit } from '@palitra/core'
import { type IpcSerialization, ipcSerializationFor } from './ipc.js'
import type { PoolInit } from './messages.js'
import type { ResolvedPoolOptions } from './options.js'

const relayEntry = new URL('./relay.js', import.meta.url)

export interface PoolSessionOptions {
  /** tinypool's runtime for the hosts. */
  readonly runtime: 'worker_threads' | 'child_process'
  readonly backend: string
  /** What one host is, in messages: "worker thread", "child process". */
  readonly hostKind: string
  readonly pool: ResolvedPoolOptions
  readonly execArgv: string[]
  readonly execArgvInherited: boolean
  readonly env: NodeJS.ProcessEnv | undefined
  readonly cwd?: string | undefined
  readonly resourceLimits?: ResourceLimits | undefined
  readonly spin: Required<SpinPolicy>
  /**
   * child_process: the IPC channel's serialization; by default what this runtime needs (see
   * ipc.ts). Tests set 'json' to run Bun's way on Node.
   */
  readonly ipc?: IpcSerialization | undefined
}

/**
 * A pooled runner's session: the caller blocks on the shared-buffer channel to a relay thread,
 * which runs the hosts through tinypool (see relay.ts). The caller sees one host.
 */
export function createPoolSession(init: SessionInit, options: PoolSessionOptions): Session {
  const { pool } = options
  return createThreadSession({
    entry: relayEntry,
    init: {
      runtime: options.runtime,
      ipc: options.ipc ?? ipcSerializationFor(),
      backend: options.backend,
      hostKind: options.hostKind,
      moduleUrl: init.moduleUrl,
      size: pool.size,
      minSize: pool.minSize,
      idleTimeout: pool.idleTimeout,
      maxHeapBeforeRecycle: pool.maxHeapBeforeRecycle,
      execArgv: options.execArgv,
      execArgvInherited: options.execArgvInherited,
      env: options.env,
      cwd: options.cwd,
      resourceLimits: options.resourceLimits,
      abortGraceMs: init.options.abortGrace,
      teardownGraceMs: init.options.teardownGrace,
    } satisfies PoolInit,
    moduleUrl: init.moduleUrl,
    // The relay runs no task code: no flags, and it may spin for the next request.
    execArgv: [],
    env: undefined,
    resourceLimits: undefined,
    spin: options.spin,
    spinAfterSlowRequests: true,
    answersAborts: true,
    // The relay owns the hosts: on terminate it ends and reaps them, then exits by itself.
    hostReapsChild: true,
    backend: options.backend,
    hostKind: options.hostKind,
    runner: init.options,
  })
}
