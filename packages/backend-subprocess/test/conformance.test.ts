import { subprocessBackend } from '@palitra/backend-subprocess'
import { runnerConformanceSuite } from '@palitra/core/conformance'
import { describe, expect, it } from 'vitest'

runnerConformanceSuite({ describe, it, expect }, { backend: () => subprocessBackend() })
