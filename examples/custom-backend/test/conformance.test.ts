import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'
import { plainWorkerBackend } from '../src/index.mjs'

runnerConformanceSuite({ describe, it, expect }, { backend: () => plainWorkerBackend() })
