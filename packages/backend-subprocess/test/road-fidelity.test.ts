import { subprocessBackend } from '@palitra/backend-subprocess'
import { isAlive } from '@palitra/conformance'
import { createRunner } from '@palitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const tasks = new URL('./fixtures/tasks.mjs', import.meta.url)
type Tasks = typeof import('./fixtures/tasks.mjs')

/** Values structured clone carries, as arguments of a call small enough for the direct road. */
const value = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: false,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: false,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
})

describe('the direct road against the relay', () => {
  it('answers every generated call as the relay does, and as structuredClone gives it, and leaves no child behind', () => {
    // By default quick calls take the direct road; `spin: false` sends every call through the relay.
    const road = createRunner<Tasks>(tasks, { backend: subprocessBackend() })
    const relay = createRunner<Tasks>(tasks, { backend: subprocessBackend({ spin: false }) })
    const pids = [road.call('state').pid, relay.call('state').pid]
    try {
      fc.assert(
        fc.property(value, (sent) => {
          const byRoad = road.call('echo', sent)
          expect(byRoad).toStrictEqual(relay.call('echo', sent))
          expect(byRoad).toStrictEqual(structuredClone(sent))
        }),
        { numRuns: 500 },
      )
    } finally {
      road.close()
      relay.close()
    }
    expect(pids.filter(isAlive)).toEqual([])
  })
})
