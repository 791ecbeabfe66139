// Deno: `deno test` runs node:test's describe/it as Deno.test steps. Deno's @std/expect comes
// from jsr only, so expect is jest's own npm package; node:test has no skipIf, added here.
import { describe, it } from 'node:test'
import { expect } from 'expect'
import { backendFactory } from './backend.mjs'
import { runnerConformanceSuite } from './suite.mjs'

const withSkipIf = (base) =>
  Object.assign((name, body) => base(name, body), {
    skip: (name, body) => base.skip(name, body),
    skipIf: (condition) => (condition ? (name, body) => base.skip(name, body) : withSkipIf(base)),
  })

runnerConformanceSuite(
  { describe: withSkipIf(describe), it: withSkipIf(it), expect },
  { backend: backendFactory },
)
