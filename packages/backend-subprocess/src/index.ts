import { fileURLToPath } from 'node:url'
import {
  createThreadSession,
  encodedCodec,
  filterExecArgv,
  resolveSpin,
  sharedMemoryMissing,
} from '@palitra/channel'
import type { Backend, BackendFactory, Capabilities } from '@palitra/core'
import { announceBackend, errors } from '@palitra/core/backend'
import { createPoolSession, resolvePoolOptions } from '@palitra/pool'
import { directRoad } from './direct-road.js'
import type { ChildInit, SubprocessBackendOptions } from './options.js'
import { wireEncoding } from './wire-codec.js'

export type { PoolOptions } from '@palitra/pool'
export type { SubprocessBackendOptions } from './options.js'

export const subprocessCapabilities: Capabilities = Object.freeze({
  inProcess: false,
  closures: false,
  serializes: true,
  isolation: 'process',
  transferables: false,
  worksInMicrotask: true,
  restartsAfterCrash: true,
  ownFlags: true,
  parallel: false,
})

/** A pooled subprocess runner: the same, with several children serving it at once. */
export const subprocessPoolCapabilities: Capabilities = Object.freeze({
  ...subprocessCapabilities,
  parallel: true,
})

const relayEntry = new URL('./relay.js', import.meta.url)
const childEntry = new URL('./child.js', import.meta.url)

function childFlags(options: SubprocessBackendOptions): string[] {
  const flags = options.execArgv ?? filterExecArgv(process.execArgv)
  if (options.maxOldSpaceSize === undefined) return flags
  if (!Number.isInteger(options.maxOldSpaceSize) || options.maxOldSpaceSize <= 0) {
    throw errors.expected({
      backend: 'subprocess',
      name: 'maxOldSpaceSize',
      expected: 'a positive whole number of MB',
      value: options.maxOldSpaceSize,
    })
  }
  return [
    ...flags.filter((flag) => !flag.startsWith('--max-old-space-size')),
    `--max-old-space-size=${options.maxOldSpaceSize}`,
  ]
}

/**
 * Tasks run in one persistent child process per runner (or a pool of them) (crash, heap and flag isolation); the
 * caller blocks on the same shared-buffer channel as the worker backend, served by a relay thread
 * that owns the child.
 */
export const subprocessBackend: BackendFactory<SubprocessBackendOptions> = (
  options = {},
): Backend => {
  // A call here takes two process hops: the caller spins long enough to catch most of them.
  const spin = resolveSpin(
    options.spin === false ? false : { caller: 250, host: 500, ...options.spin },
  )
  const execArgv = childFlags(options)
  if (options.pool !== undefined) {
    const pool = resolvePoolOptions('subprocess', options.pool)
    return {
      name: 'subprocess',
      capabilities: subprocessPoolCapabilities,
      options,
      unavailableReason: sharedMemoryMissing,
      createSession: (init) =>
        createPoolSession(init, {
          runtime: 'child_process',
          backend: 'subprocess',
          hostKind: 'child process',
          pool,
          execArgv,
          execArgvInherited: options.execArgv === undefined,
          env: options.env,
          cwd: options.cwd,
          spin,
        }),
    }
  }
  return {
    name: 'subprocess',
    capabilities: subprocessCapabilities,
    options,
    unavailableReason: sharedMemoryMissing,
    createSession: ({ moduleUrl, options: runner }) =>
      createThreadSession({
        entry: relayEntry,
        init: {
          moduleUrl,
          childEntry: fileURLToPath(childEntry),
          execArgv,
          env: options.env,
          cwd: options.cwd,
          abortGraceMs: runner.abortGrace,
        } satisfies ChildInit,
        moduleUrl,
        execArgv: [],
        env: undefined,
        resourceLimits: undefined,
        spin,
        spinAfterSlowRequests: true,
        hostReapsChild: true,
        // Requests are encoded here, once, into the bytes the child reads: the relay forwards them.
        codec: encodedCodec(wireEncoding),
        // Calls go straight to the child while this side spins; the relay takes over slow ones.
        directRoad: spin.caller > 0 ? (slots) => directRoad(slots, spin.caller) : undefined,
        acrossProcesses: true,
        backend: 'subprocess',
        hostKind: 'child process',
        runner,
      }),
  }
}

// `backend: 'subprocess'` then finds this package without a `require` (see announceBackend).
announceBackend('subprocess', () => subprocessBackend())
