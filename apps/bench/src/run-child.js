import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const measureScript = fileURLToPath(new URL('./measure.js', import.meta.url))

/** Run one measurement in a child process; never waits longer than `timeoutMs`. */
export function runMeasurement({ subject, workload, quick, port, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [measureScript, subject, workload, quick ? '1' : '0', String(port ?? 0)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.trim().split('\n').filter(Boolean).at(-1)
      try {
        resolve(JSON.parse(line))
      } catch {
        const why =
          signal === 'SIGKILL'
            ? `no result within ${timeoutMs / 1000} s (killed)`
            : `exited with ${signal ?? code}`
        resolve({ error: `${why}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}` })
      }
    })
  })
}
