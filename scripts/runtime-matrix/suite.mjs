// The one place the harness imports the conformance suite from: when it moves to its own
// package, this line is the switch.
export { runnerConformanceSuite } from '@palitra/core/conformance'
