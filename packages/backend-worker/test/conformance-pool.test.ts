import { workerBackend } from '@palitra/backend-worker'
import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'

// The same behaviour from a pool of two worker threads.
runnerConformanceSuite(
  { describe, it, expect },
  { backend: () => workerBackend({ pool: { size: 2 } }) },
)
