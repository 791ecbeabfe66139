// Runs a sample the way its page says to: `node <file>` in the sample's folder, in a child
// process (deasync samples cannot block inside vitest's promise-based tests), with a deadline.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const samplesDir = fileURLToPath(new URL('../samples/', import.meta.url))
export const docsDir = fileURLToPath(new URL('../', import.meta.url))

/**
 * @param {string[]} args arguments to node (the sample file first)
 * @param {{ cwd?: string, env?: Record<string, string>, node?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runNode(
  args,
  { cwd = samplesDir, env = {}, node = process.execPath, timeoutMs = 60_000 } = {},
) {
  return new Promise((resolve) => {
    execFile(
      node,
      args,
      {
        cwd,
        env: { ...process.env, ...env },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** Runs a sample that must succeed, and returns its stdout lines. */
export async function sampleOutput(args, options) {
  const result = await runNode(args, options)
  if (result.code !== 0) {
    throw new Error(
      `node ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`,
    )
  }
  return result.stdout.trimEnd().split('\n')
}
