// Task output through slow pipes: every byte arrives, before the call returns (so in order with
// the caller's own lines), also on close(), process.exit() and a crash, on every backend.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { line } from '../fixtures/tasks.mjs'
import { backendNames } from '../src/backends.mjs'
import { firstDifference, runThroughSlowPipes } from './slow-pipe.mjs'

const fixture = fileURLToPath(new URL('../fixtures/output.mjs', import.meta.url))
// The caller's lines alone overfill a pipe (64 KiB on Linux); the task's are 1 KiB writes.
const callerLines = 256
const taskLines = 2048
const width = 1024

const lines = (prefix, count) =>
  Array.from({ length: count }, (_, i) => line(prefix, i, width)).join('')

for (const backend of backendNames) {
  describe(`task output through slow pipes (${backend})`, () => {
    for (const mode of ['return', 'close', 'exit']) {
      it(`every byte, in order with the caller's, when the caller then ${mode === 'return' ? 'ends' : mode === 'close' ? 'closes the runner' : 'calls process.exit()'}`, async () => {
        const result = await runThroughSlowPipes(fixture, [
          backend,
          mode,
          callerLines,
          taskLines,
          width,
        ])
        assert.equal(result.code, 0, result.stderr.slice(-2000))
        const stdout = `${lines('caller ', callerLines)}${lines('task ', taskLines)}caller after\n`
        assert.equal(firstDifference(result.stdout, stdout), undefined)
        assert.equal(firstDifference(result.stderr, lines('err ', taskLines)), undefined)
      })
    }

    it('every byte a crashing task wrote to stderr', async () => {
      const result = await runThroughSlowPipes(fixture, [
        backend,
        'crash',
        callerLines,
        taskLines,
        width,
      ])
      const inProcess = backend === 'deasync'
      // In-process, the task's process.exit() is the caller's.
      assert.equal(result.code, inProcess ? 9 : 0, result.stderr.slice(-2000))
      const stdout = `${lines('caller ', callerLines)}${inProcess ? '' : 'caller after: ERR_PALITRA_CRASHED\n'}`
      assert.equal(firstDifference(result.stdout, stdout), undefined)
      assert.equal(firstDifference(result.stderr, lines('err ', taskLines)), undefined)
    })
  })
}
