import { closeAllRunners, getRunner, syncFn } from '@palitra/core'
import type { SuiteContext } from './context.js'
import { type ConformanceTasks, conformanceTasks } from './fixtures.js'

/** The shared runners of `getRunner` and `syncFn`. */
export function registryTests({ describe, expect, test, backend }: SuiteContext): void {
  describe('registry', () => {
    test('getRunner shares one runner per module + backend + options; closeAllRunners closes them', () => {
      const chosen = backend()
      const a = getRunner<ConformanceTasks>(conformanceTasks, { backend: chosen })
      const b = getRunner<ConformanceTasks>(conformanceTasks.href, { backend: chosen })
      const c = getRunner(conformanceTasks, { backend: chosen, timeout: 1_000 })
      expect(a).toBe(b)
      expect(a).not.toBe(c)
      const start = a.call('bump')
      expect(b.call('bump')).toBe(start + 1)
      closeAllRunners()
      expect(a.state).toBe('closed')
      expect(c.state).toBe('closed')
      const fresh = getRunner(conformanceTasks, { backend: chosen })
      expect(fresh).not.toBe(a)
      fresh.close()
    })

    test('syncFn gives a plain sync function that keeps its runner', () => {
      const inc = syncFn<ConformanceTasks, 'bump'>(conformanceTasks, 'bump', { backend: backend() })
      const start = inc()
      expect(inc()).toBe(start + 1)
      closeAllRunners()
      expect(typeof inc()).toBe('number')
      closeAllRunners()
    })
  })
}
