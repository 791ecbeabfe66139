import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'
import { workerBackend } from '../src/index.js'

runnerConformanceSuite({ describe, it, expect }, { backend: () => workerBackend() })
