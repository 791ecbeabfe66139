import { subprocessBackend } from '@palitra/backend-subprocess'
import { filterExecArgv, resolveSpin } from '@palitra/channel'
import { runnerConformanceSuite } from '@palitra/conformance'
import type { Backend } from '@palitra/core'
import { createPoolSession, resolvePoolOptions } from '@palitra/pool'
import { describe, expect, it } from 'vitest'

/**
 * A pool of two child processes whose IPC channel is JSON, with palitra's bytes as base64 text:
 * what runs on Bun (see ipc.ts in @palitra/pool), here on Node, so that CI covers it. Built as
 * subprocessBackend({ pool }) builds its pool, with only `ipc` forced.
 */
const jsonIpcPool = (): Backend => ({
  ...subprocessBackend({ pool: { size: 2 } }),
  createSession: (init) =>
    createPoolSession(init, {
      runtime: 'child_process',
      backend: 'subprocess',
      hostKind: 'child process',
      pool: resolvePoolOptions('subprocess', { size: 2 }),
      execArgv: filterExecArgv(process.execArgv),
      execArgvInherited: true,
      env: undefined,
      spin: resolveSpin({ caller: 250, host: 500 }),
      ipc: 'json',
    }),
})

runnerConformanceSuite({ describe, it, expect }, { backend: jsonIpcPool })
