// The README's usage example is these files, and it prints what the README says it does.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

const here = new URL('./', import.meta.url)
const read = (name) => readFileSync(new URL(name, here), 'utf8')

test('the README shows tasks.mjs and main.mjs exactly', () => {
  const readme = read('../../README.md')
  for (const file of ['tasks.mjs', 'main.mjs']) {
    assert.ok(
      readme.includes(`\`\`\`js\n${read(file)}\`\`\``),
      `README's ${file} block differs from examples/readme/${file}`,
    )
  }
})

test('main.mjs runs and keeps state across calls', () => {
  const result = spawnSync(process.execPath, ['main.mjs'], {
    cwd: here,
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(result.stdout, "@palitra/example-readme\ntrue\n[ 'package.json' ]\na\nb\n")
})
