// On SIGINT, SIGTERM or SIGHUP nobody else listens for, open runners' teardown runs and the
// process still dies by that signal; an application's own listener keeps full control.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { backendNames } from '../src/backends.mjs'

const fixture = fileURLToPath(new URL('../fixtures/signal.mjs', import.meta.url))
const dir = mkdtempSync(path.join(tmpdir(), 'palitra-signals-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Start the fixture, send `signal` once it is ready; resolves with how it ended. */
function signalled(backend, signal, listener) {
  const marker = path.join(dir, `${backend}-${signal}-${listener}`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, backend, signal, listener, marker], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no end within 60 s after ${signal}; stdout: ${stdout} stderr: ${stderr}`))
    }, 60_000)
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.stdout.on('data', (chunk) => {
      const wasReady = stdout.includes('ready\n')
      stdout += chunk
      if (!wasReady && stdout.includes('ready\n')) child.kill(signal)
    })
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal: exitSignal,
        stdout,
        stderr,
        tornDown: existsSync(marker) && readFileSync(marker, 'utf8') === 'torn down',
      })
    })
  })
}

for (const backend of backendNames) {
  describe(`signals (${backend})`, {
    skip: process.platform === 'win32' && 'POSIX signals',
  }, () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      it(`${signal} with no other listener: teardown runs, the process dies by ${signal}`, async () => {
        const ended = await signalled(backend, signal, 'none')
        assert.deepEqual(
          { code: ended.code, signal: ended.signal, tornDown: ended.tornDown },
          { code: null, signal, tornDown: true },
          ended.stderr,
        )
      })
    }

    it("SIGTERM with the app's own listener: palitra leaves it alone, the runner keeps working", async () => {
      const ended = await signalled(backend, 'SIGTERM', 'own')
      assert.equal(ended.code, 0, ended.stderr)
      assert.match(ended.stdout, /handled SIGTERM; runner still answers: 1\n/)
    })
  })
}
