// Every thread and child a runner starts is gone once it ends: closed, dropped (finalized),
// after a crash, after a timeout replaced its host. Counted from /proc, in a fresh process.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { backendNames, outOfProcess } from '../src/backends.mjs'
import { hasProc } from '../src/proc.mjs'

const fixture = fileURLToPath(new URL('../fixtures/reaping.mjs', import.meta.url))
const count = 40

function leftAfter(backend, mode) {
  const result = spawnSync(process.execPath, ['--expose-gc', fixture, backend, mode, count], {
    encoding: 'utf8',
    timeout: 180_000,
  })
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout.trim().split('\n').at(-1))
}

function describeMode(mode) {
  if (mode === 'close') return 'closed'
  if (mode === 'drop') return 'dropped unclosed'
  if (mode === 'thread') return 'closed, each by a caller thread that ends right after'
  return `with a ${mode} each`
}

for (const backend of backendNames) {
  // In-process, a crash or a runaway task is the caller's own: only close and drop apply.
  const modes = outOfProcess(backend)
    ? ['close', 'drop', 'crash', 'timeout', 'thread']
    : ['close', 'drop']
  describe(`nothing left behind (${backend})`, { skip: !hasProc && 'needs /proc (Linux)' }, () => {
    for (const mode of modes) {
      it(`after ${count} runners ${describeMode(mode)}: no child, zombie or extra thread`, () => {
        const left = leftAfter(backend, mode)
        assert.deepEqual(
          { live: left.live, zombies: left.zombies, threads: left.threads },
          { live: 0, zombies: 0, threads: left.threadsBefore },
        )
      })
    }
  })
}
