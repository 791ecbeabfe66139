import { afterEach, describe, expect, it, vi } from 'vitest'

// The real runs on Bun and Deno are scripts/runtime-matrix.mjs; here this process pretends to be
// them, for a fresh copy of the addon loader each time.
const restores: (() => void)[] = []
afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore()
  vi.resetModules()
})

async function freshBackend() {
  vi.resetModules()
  return (await import('../src/index.js')).deasyncBackend()
}

describe('deasync on runtimes it cannot pump', () => {
  it('Bun (whose uv_run aborts the process): refused with a one-line reason naming Bun', async () => {
    Object.defineProperty(process.versions, 'bun', { value: '1.4.5', configurable: true })
    restores.push(() => delete (process.versions as { bun?: string }).bun)
    const reason = (await freshBackend()).unavailableReason()
    expect(reason).toMatch(/^Bun 1\.4\.5 has no libuv event loop[^\n]*$/)
  })

  it('Deno: refused with a reason naming Deno', async () => {
    Object.defineProperty(globalThis, 'Deno', { value: {}, configurable: true })
    restores.push(() => delete (globalThis as { Deno?: unknown }).Deno)
    expect((await freshBackend()).unavailableReason()).toMatch(/^Deno has no libuv event loop/)
  })

  it('Node: available', async () => {
    expect((await freshBackend()).unavailableReason()).toBe(undefined)
  })
})
