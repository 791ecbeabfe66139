// The README's batch example is these files, and it prints what the README says it does.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

const here = new URL('./', import.meta.url)
const read = (name) => readFileSync(new URL(name, here), 'utf8')

test('the README shows fetch-tasks.mjs and fetch-all.mjs exactly', () => {
  const readme = read('../../README.md')
  for (const file of ['fetch-tasks.mjs', 'fetch-all.mjs']) {
    assert.ok(
      readme.includes(`\`\`\`js\n${read(file)}\`\`\``),
      `README's ${file} block differs from examples/readme/${file}`,
    )
  }
})

test('fetch-all.mjs sends its three requests at once and prints every outcome', async (t) => {
  const server = spawn(process.execPath, ['local-server.mjs'], { cwd: here, stdio: 'pipe' })
  t.after(() => server.kill())
  const [address] = await once(server.stdout, 'data')
  const site = String(address).trim()
  // The server runs in its own process: this thread may block while the example runs.
  const result = spawnSync(process.execPath, ['fetch-all.mjs', site], {
    cwd: here,
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(
    result.stdout,
    "page /a page /b page /c\n[ 'page /d', 'page /e', 'page /f', 'page /g' ]\n" +
      `[ 'page /h', '${site}/missing: HTTP 404' ]\n`,
  )
  const stats = await (await fetch(`${site}/stats`)).json()
  assert.equal(stats.maxInFlight, 3)
})
