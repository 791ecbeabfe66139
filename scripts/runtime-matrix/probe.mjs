// On one runtime: what each backend's unavailableReason() says, that a refused backend is
// refused by createRunner() with ERR_PALITRA_UNAVAILABLE (by object and by name), and which
// backend auto-resolution picks. Prints one JSON line; the matrix script judges it.
import { createRunner } from '@palitra/core'

const names = ['worker', 'subprocess', 'deasync']
const tasks = new URL('./tasks.mjs', import.meta.url)

const runtime = globalThis.Deno
  ? { name: 'deno', version: globalThis.Deno.version.deno }
  : process.versions.bun
    ? { name: 'bun', version: process.versions.bun }
    : { name: 'node', version: process.versions.node }

function refusal(backend) {
  try {
    createRunner(tasks, { backend }).close()
    return { code: null, message: 'createRunner() accepted it' }
  } catch (error) {
    return { code: error?.code ?? null, message: String(error?.message ?? error) }
  }
}

// Import every backend first (importing must never throw, even where it cannot run), then block
// from a macrotask, where every backend that runs here can.
const backends = {}
for (const name of names) {
  try {
    const exports = await import(`@palitra/backend-${name}`)
    backends[name] = { factory: exports[`${name}Backend`] }
  } catch (error) {
    backends[name] = { importError: String(error?.stack ?? error) }
  }
}

setImmediate(() => {
  const result = { runtime, backends: {}, auto: null }
  for (const name of names) {
    const { factory, importError } = backends[name]
    if (importError) {
      result.backends[name] = { importError }
      continue
    }
    const reason = factory().unavailableReason()
    result.backends[name] =
      reason === undefined
        ? { reason: null }
        : { reason, byObject: refusal(factory()), byName: refusal(name) }
  }
  try {
    const runner = createRunner(tasks)
    try {
      result.auto = {
        backend: runner.backend.name,
        calls: [runner.call('bump'), runner.call('bump')],
      }
    } finally {
      runner.close()
    }
  } catch (error) {
    result.auto = { code: error?.code ?? null, message: String(error?.message ?? error) }
  }
  console.log(JSON.stringify(result))
})
