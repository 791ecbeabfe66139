// Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core,
// and the built site served by VitePress's own preview server.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { serve } from 'vitepress'

export const chromiumPath = '/usr/bin/chromium'
export const siteRoot = fileURLToPath(new URL('../site', import.meta.url))
export const distDir = path.join(siteRoot, '.vitepress', 'dist')

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's package (apt-get install -y chromium; .ci/run does)`,
    )
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'palitra-docs-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    timeout: 60_000,
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}

/** Serves the built site on a free loopback port. */
export async function serveSite() {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`No built site in ${distDir}: run \`pnpm --filter @palitra/docs build\` first`)
  }
  const app = await serve({ root: siteRoot, port: 0 })
  const server = app.server
  await new Promise((resolve) => (server.listening ? resolve() : server.once('listening', resolve)))
  const { port } = server.address()
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
