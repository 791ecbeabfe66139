// Runner churn beside a long-lived runner: RSS must not grow past bare Node's for as many Workers
// (the watchdog thread, which lives as long as any runner, once held 136 KiB per closed runner).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { hasProc } from '../src/proc.mjs'

const stress = fileURLToPath(new URL('../src/stress.mjs', import.meta.url))

it('240 worker runners churned: RSS within bare Node + 8 MB', {
  skip: !hasProc && 'needs /proc (Linux)',
}, () => {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', stress, '--backend', 'worker', '--stage', 'churn', '--churn', '240'],
    { encoding: 'utf8', timeout: 600_000 },
  )
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`)
})
