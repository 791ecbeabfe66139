// Screenshots of the built site for a person to look at: desktop 1280 px and phone 390 px, light
// and dark. `pnpm --filter @palitra/docs screenshots [outDir] [page ...]`
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { launchBrowser, serveSite } from '../test/browser.mjs'

const [outDir = 'screenshots', ...pages] = process.argv.slice(2)
const shown =
  pages.length > 0
    ? pages
    : ['/', '/guide/getting-started', '/benchmarks/', '/guide/troubleshooting']
const views = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]

await mkdir(outDir, { recursive: true })
const site = await serveSite()
const browser = await launchBrowser()
try {
  for (const scheme of ['light', 'dark']) {
    for (const view of views) {
      const page = await browser.context.newPage()
      await page.setViewportSize({ width: view.width, height: view.height })
      await page.emulateMedia({ colorScheme: scheme })
      // VitePress keeps the reader's choice in localStorage; 'auto' follows the emulated scheme.
      await page.addInitScript(() => localStorage.setItem('vitepress-theme-appearance', 'auto'))
      for (const url of shown) {
        await page.goto(site.origin + url, { waitUntil: 'networkidle' })
        const name = `${url.replace(/^\/|\/$/g, '').replaceAll('/', '-') || 'home'}-${view.name}-${scheme}.png`
        await page.screenshot({ path: path.join(outDir, name), fullPage: false })
        console.log(path.join(outDir, name))
      }
      await page.close()
    }
  }
} finally {
  await browser.close()
  await site.close()
}
