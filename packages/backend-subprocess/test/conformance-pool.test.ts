import { subprocessBackend } from '@palitra/backend-subprocess'
import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'

// The same behaviour from a pool of two child processes.
runnerConformanceSuite(
  { describe, it, expect },
  { backend: () => subprocessBackend({ pool: { size: 2 } }) },
)
