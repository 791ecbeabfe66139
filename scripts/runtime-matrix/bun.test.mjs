// Bun: the suite under `bun test`, whose describe/it/expect follow jest's (with it.skipIf).
import { describe, expect, it } from 'bun:test'
import { backendFactory } from './backend.mjs'
import { runnerConformanceSuite } from './suite.mjs'

runnerConformanceSuite({ describe, it, expect }, { backend: backendFactory })
