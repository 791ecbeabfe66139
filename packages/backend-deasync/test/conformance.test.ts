import { deasyncBackend } from '@palitra/backend-deasync'
import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'

// The suite runs each body from a setImmediate callback: a macrotask, where this backend can block.
runnerConformanceSuite({ describe, it, expect }, { backend: () => deasyncBackend() })
