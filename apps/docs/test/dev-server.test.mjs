// `vitepress dev` (what `pnpm --filter @palitra/docs dev` starts) renders a guide page, a README
// page and an API page, whose paths start with `@palitra`.
import { createServer } from 'vitepress'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, siteRoot } from './browser.mjs'

let server
let browser
let origin

beforeAll(async () => {
  server = await createServer(siteRoot, { host: '127.0.0.1', port: 0 })
  await server.listen()
  origin = `http://127.0.0.1:${server.httpServer.address().port}`
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the dev server', () => {
  it.each([
    ['/guide/getting-started', 'Getting started'],
    ['/reference/readme', 'palitra'],
    ['/packages/backend-worker', '@palitra/backend-worker'],
    ['/api/@palitra/core/functions/createRunner', 'Function: createRunner()'],
  ])('%s shows its title', async (path, title) => {
    const page = await browser.context.newPage()
    const errors = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(origin + path, { waitUntil: 'load', timeout: 60_000 })
    await page.locator('.vp-doc h1').first().waitFor({ timeout: 60_000 })
    expect(
      // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out, spaces between spans included (a Playwright locator, not a DOM node)
      (await page.locator('.vp-doc h1').first().innerText()).replace(/\u200b/g, '').trim(),
    ).toBe(title)
    expect(errors).toEqual([])
    await page.close()
  })
})
