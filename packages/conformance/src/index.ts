/**
 * `@palitra/conformance`: the behaviour suite every palitra backend runs unchanged with its
 * factory — `runnerConformanceSuite({ describe, it, expect }, { backend: () => myBackend() })`.
 */
export { cloneMismatch } from './clone-mismatch.js'
export type { ConformanceApi, ConformanceOptions } from './context.js'
export { type ConformanceTasks, conformanceTasks, type PoolTasks, poolTasks } from './fixtures.js'
export {
  caught,
  childPids,
  eventually,
  inMacrotask,
  isAlive,
  settledThreadCount,
  threadCount,
} from './helpers.js'
export { runnerConformanceSuite } from './suite.js'
