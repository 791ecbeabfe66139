import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { SuiteContext } from './context.js'
import { caught } from './helpers.js'

/** State kept across calls, the runner's life from idle to closed, teardown. */
export function lifecycleTests({ describe, expect, test, open, name, caps }: SuiteContext): void {
  describe('lifecycle and state', () => {
    // In-process backends share the module instance with the application and with every other
    // runner of it, so state is checked by increments, never by absolute counts.
    test('keeps module state across calls, through call() and the tasks proxy', () => {
      using runner = open()
      const start = runner.call('bump')
      expect(runner.tasks.bump()).toBe(start + 1)
      expect(runner.call('inc', 41)).toBe(42)
      expect(runner.tasks.syncAdd(2, 3)).toBe(5)
    })

    test('moves idle -> ready -> closed; close is idempotent; later calls are ERR_PALITRA_CLOSED', () => {
      const runner = open()
      expect(runner.state).toBe('idle')
      expect(runner.start()).toBe(runner)
      expect(runner.state).toBe('ready')
      runner.close()
      runner.close()
      expect(runner.state).toBe('closed')
      expect(caught(() => runner.call('inc', 1)).code).toBe('ERR_PALITRA_CLOSED')
      expect(caught(() => runner.start()).code).toBe('ERR_PALITRA_CLOSED')
    })

    test('reports its backend and capabilities', () => {
      using runner = open()
      expect(runner.backend.name).toBe(name)
      expect(runner.backend.capabilities).toEqual(caps)
    })

    test('runs the teardown export on close', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'palitra-teardown-'))
      const marker = path.join(dir, 'marker')
      try {
        const runner = open()
        runner.call('setTeardownMarker', marker)
        runner.close()
        expect(readFileSync(marker, 'utf8')).toBe('torn down')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    test('serves 2 000 calls in a row with the right results', () => {
      using runner = open()
      let sum = 0
      for (let i = 0; i < 2_000; i++) sum += runner.call('inc', i)
      expect(sum).toBe((1999 * 2000) / 2 + 2000)
    })
  })
}
