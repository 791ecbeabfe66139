import { subprocessBackend } from '@palitra/backend-subprocess'
import { runnerConformanceSuite } from '@palitra/conformance'
import { describe, expect, it } from 'vitest'

runnerConformanceSuite({ describe, it, expect }, { backend: () => subprocessBackend() })
