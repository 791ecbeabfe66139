// Node: the suite under vitest, as every backend package runs it in the workspace.
import { describe, expect, it } from 'vitest'
import { backendFactory } from './backend.mjs'
import { runnerConformanceSuite } from './suite.mjs'

runnerConformanceSuite({ describe, it, expect }, { backend: backendFactory })
