import type { SpinPolicy } from '@palitra/channel'
import type { PoolOptions } from '@palitra/pool'

export interface SubprocessBackendOptions {
  /** Node flags of the child. Default: the caller's `process.execArgv`, minus `--eval`, `--input-type` and the like. */
  execArgv?: string[]
  /** The child's environment. Default: the caller's `process.env`. */
  env?: NodeJS.ProcessEnv
  /** The child's working directory. Default: the caller's `process.cwd()`. */
  cwd?: string
  /** The child's V8 old-space limit in MB (`--max-old-space-size`); past it the call fails with ERR_PALITRA_CRASHED. Default: Node's. */
  maxOldSpaceSize?: number
  /**
   * Busy-wait bounds, in µs: `caller`, how long the caller reads the child's socket for a reply
   * (the direct road) or waits on the relay before it sleeps; `host`, how long the relay thread
   * waits for the next request before its event loop. `false` never spins, and sends every call
   * through the relay. Default: `{ caller: 250, host: 500 }`.
   */
  spin?: SpinPolicy | false
  /**
   * Several child processes for this runner, managed by tinypool: calls go to a free child and
   * batches spread over them. Each child has its own instance of the tasks module (state is per
   * child), and an open iterator holds its child until it finishes. Default: one child, no pool.
   */
  pool?: PoolOptions
}

/** What the relay thread needs to start the child. */
export interface ChildInit {
  readonly moduleUrl: string
  readonly childEntry: string
  readonly execArgv: string[]
  readonly env: NodeJS.ProcessEnv | undefined
  readonly cwd: string | undefined
  /** After an abort, how long the child gets before it is killed, in ms. */
  readonly abortGraceMs: number
}
