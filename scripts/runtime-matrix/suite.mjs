// The one place the harness imports the conformance suite from.
export { runnerConformanceSuite } from '@palitra/conformance'
