import { tryImport } from './try-import.js'

const { module: core, reason } = await tryImport('@palitra/core')

/**
 * A palitra backend through the public API, named by string as an application would: core finds
 * the installed backend package itself. A backend that is not installed or not supported here
 * throws ERR_PALITRA_UNAVAILABLE from createRunner or the first call; the harness reports that.
 * @param {'worker' | 'deasync' | 'subprocess'} backend
 * @returns {import('./index.js').Subject}
 */
export function palitraSubject(backend) {
  return {
    name: backend,
    available: () => reason,
    create(tasksUrl) {
      const runner = core.createRunner(tasksUrl, { backend })
      return { call: (name, arg) => runner.call(name, arg), close: () => runner.close() }
    },
  }
}
