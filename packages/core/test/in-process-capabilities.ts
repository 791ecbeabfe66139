import type { Capabilities } from '../src/contract.js'

/** What the runner tests' fake backends declare: tasks are plain functions on the caller's thread. */
export const inProcessCapabilities: Capabilities = Object.freeze({
  inProcess: true,
  closures: false,
  serializes: false,
  isolation: 'none',
  transferables: false,
  worksInMicrotask: true,
  restartsAfterCrash: true,
  ownFlags: false,
  parallel: false,
})
