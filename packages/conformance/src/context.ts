import {
  type Backend,
  type Capabilities,
  createRunner,
  type Runner,
  type RunnerOptions,
} from '@palitra/core'
import type { describe as Describe, expect as Expect, it as It } from 'vitest'
import { type ConformanceTasks, conformanceTasks } from './fixtures.js'
import { inMacrotask } from './helpers.js'

/** The test functions a backend's test file hands over (vitest's, or any with the same shape). */
export interface ConformanceApi {
  readonly describe: typeof Describe
  readonly it: typeof It
  readonly expect: typeof Expect
}

export interface ConformanceOptions {
  /** Makes a fresh backend object (called once per runner). */
  readonly backend: () => Backend
}

/** What every behaviour file of the suite is given. */
export interface SuiteContext {
  readonly describe: ConformanceApi['describe']
  readonly expect: ConformanceApi['expect']
  readonly backend: () => Backend
  /** The backend's name and capabilities, read once from a probe instance. */
  readonly name: string
  readonly caps: Capabilities
  /** A fresh runner of the fixture tasks (or of `tasks`) on this backend. */
  open(options?: RunnerOptions, tasks?: URL): Runner<ConformanceTasks>
  /** A test whose body runs in a macrotask, where every backend can block. */
  test(name: string, body: () => void): void
  /** `test`, skipped where the backend lacks what it needs; the reason goes in `name`. */
  testIf(condition: boolean, name: string, body: () => void): void
}

export function createContext(api: ConformanceApi, options: ConformanceOptions): SuiteContext {
  const probe = options.backend()
  return {
    describe: api.describe,
    expect: api.expect,
    backend: options.backend,
    name: probe.name,
    caps: probe.capabilities,
    open: (runnerOptions = {}, tasks = conformanceTasks) =>
      createRunner<ConformanceTasks>(tasks, { backend: options.backend(), ...runnerOptions }),
    test: (name, body) => api.it(name, () => inMacrotask(body)),
    testIf: (condition, name, body) => api.it.skipIf(!condition)(name, () => inMacrotask(body)),
  }
}
