// Run a fixture with its stdout and stderr read slowly: the reader pauses after every chunk, so
// the pipes fill and the writer meets a full pipe again and again.
import { spawn } from 'node:child_process'

export function runThroughSlowPipes(script, args, { timeoutMs = 120_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    const out = { stdout: [], stderr: [] }
    for (const name of ['stdout', 'stderr']) {
      const stream = child[name]
      stream.on('data', (chunk) => {
        out[name].push(chunk)
        stream.pause()
        setTimeout(() => stream.resume(), 2)
      })
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} ${args.join(' ')} did not end within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
      })
    })
  })
}

/** Where two long texts first differ, and what each holds there (not megabytes of diff). */
export function firstDifference(actual, expected) {
  if (actual === expected) return undefined
  let i = 0
  while (i < actual.length && actual[i] === expected[i]) i++
  const lineStart = actual.lastIndexOf('\n', i - 1) + 1
  return `${actual.length} bytes, expected ${expected.length}; first difference at byte ${i}: got ${JSON.stringify(actual.slice(lineStart, lineStart + 40))}, expected ${JSON.stringify(expected.slice(lineStart, lineStart + 40))}`
}
