import type { MessagePort } from 'node:worker_threads'
import type { HostRequest } from '@palitra/core'
import type { AbortNote, Reply } from '@palitra/core/backend'
import type { IpcBytes, IpcSerialization } from './ipc.js'

/** What the relay thread needs to run the pool (the caller's `init`). */
export interface PoolInit {
  readonly runtime: 'worker_threads' | 'child_process'
  /** child_process: how the IPC channel to each child is serialized (see ipc.ts). */
  readonly ipc: IpcSerialization
  /** Backend name and host kind, for palitra's own errors. */
  readonly backend: string
  readonly hostKind: string
  readonly moduleUrl: string
  readonly size: number
  readonly minSize: number
  readonly idleTimeout: number
  readonly maxHeapBeforeRecycle: number | undefined
  readonly execArgv: string[]
  /** The flags were inherited: drop any a Worker refuses instead of failing. */
  readonly execArgvInherited: boolean
  readonly env: NodeJS.ProcessEnv | undefined
  /** child_process only: the hosts' working directory. */
  readonly cwd: string | undefined
  /** worker_threads only. */
  readonly resourceLimits: import('node:worker_threads').ResourceLimits | undefined
  readonly abortGraceMs: number
  readonly teardownGraceMs: number
}

/**
 * One pool task: a request for a host's task host. Its link to the relay (a MessagePort for a
 * thread, tagged IPC messages for a child) carries aborts and, while the task holds an open
 * iterator, that iterator's steps.
 */
export interface HostTask {
  /** Relay-wide task id: tags a child's IPC messages. */
  readonly id: number
  readonly moduleUrl: string
  readonly backend: string
  readonly hostKind: string
  readonly teardownGraceMs: number
  readonly cwd: string | undefined
  /** worker_threads: the request itself; child_process: absent, see `requestBytes`. */
  readonly request?: HostRequest
  /** child_process: the request as structured-clone bytes (cloneToBytes in @palitra/channel). */
  readonly requestBytes?: IpcBytes
  /** child_process: the channel's serialization, which the host's replies must fit (ipc.ts). */
  readonly ipc?: IpcSerialization
  /** worker_threads: the task's end of its link. */
  readonly port?: MessagePort
  /** worker_threads: where the host writes its threadId, so a runaway's thread can be found. */
  readonly hostSlot?: Int32Array
}

/** Relay to host, over a task's link. `step` 0 is the task's own request. */
export type ToHost =
  | { readonly step: number; readonly request: HostRequest }
  | ({ readonly abort: number } & AbortNote)

/** Host to relay, over a task's link: a reply that does not end the task (an iterator stays open). */
export interface FromHost {
  readonly step: number
  /** child_process: structured-clone bytes of the reply (cloneToBytes in @palitra/channel). */
  readonly reply: Reply | IpcBytes
}

/** child_process: messages on the IPC channel carry their task's id. */
export interface Tagged<T> {
  readonly palitraTask: number
  readonly message: T
}

/** Child to relay: which process runs the task (a thread's id travels in shared memory). */
export interface Started {
  readonly started: number
}

/** What a pool task resolves with: the reply that ends it. */
export interface FinalReply {
  readonly step: number
  /** child_process: structured-clone bytes of the reply (cloneToBytes in @palitra/channel). */
  readonly reply: Reply | IpcBytes
}
