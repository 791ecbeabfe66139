import { workerBackend } from '@palitra/backend-worker'
import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'

runnerConformanceSuite({ describe, it, expect }, { backend: () => workerBackend() })
