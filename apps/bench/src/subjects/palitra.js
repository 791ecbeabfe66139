import { createRunner } from '@palitra/core'
import { implUrl } from './shared.js'

/** A palitra backend, chosen by name as an application would. */
export function palitraSubject(backend) {
  return {
    name: backend,
    create() {
      const runner = createRunner(implUrl, { backend })
      return { call: (name, arg) => runner.call(name, arg), close: () => runner.close() }
    },
  }
}
