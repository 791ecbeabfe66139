import { badInputTests } from './bad-input.js'
import { batchConformanceSuite } from './batches.js'
import { type ConformanceApi, type ConformanceOptions, createContext } from './context.js'
import { crashTests } from './crashes.js'
import { errorTests } from './errors.js'
import { fidelitySuite } from './fidelity.js'
import { iteratorTests } from './iterators.js'
import { lifecycleTests } from './lifecycle.js'
import { poolTests } from './pools.js'
import { registryTests } from './registry.js'
import { startupTests } from './startup.js'
import { timeoutTests } from './timeouts.js'
import { valueTests } from './values.js'

/**
 * The behaviour every backend must share, run by each backend package with its own factory.
 * Tests a backend cannot pass by design are skipped by its declared capabilities, never by name.
 */
export function runnerConformanceSuite(api: ConformanceApi, options: ConformanceOptions): void {
  const context = createContext(api, options)
  api.describe(`palitra conformance: ${context.name}`, () => {
    lifecycleTests(context)
    valueTests(context)
    fidelitySuite(api, options.backend)
    errorTests(context)
    badInputTests(context)
    startupTests(context)
    timeoutTests(context)
    crashTests(context)
    iteratorTests(context)
    registryTests(context)
    poolTests(context)
    batchConformanceSuite(api, options)
  })
}
