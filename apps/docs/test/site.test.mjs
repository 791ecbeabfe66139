// The built site read in headless Chromium as a reader would: every page reached by following
// links, at phone width, with no broken internal link or anchor, nothing wider than the phone,
// no console error; then the search box, the dark mode switch and the benchmark charts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, serveSite } from './browser.mjs'
import { expectedPages } from './expected-pages.mjs'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 900 }

let site
let browser

beforeAll(async () => {
  site = await serveSite()
  browser = await launchBrowser() // throws, with the reason, when Debian's chromium is missing
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

/** A page that records console errors, uncaught errors and failed same-origin requests. */
async function openPage(viewport) {
  const page = await browser.context.newPage()
  await page.setViewportSize(viewport)
  const problems = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
  page.on('response', (response) => {
    if (response.url().startsWith(site.origin) && response.status() >= 400) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`)
    }
  })
  return { page, problems }
}

/** WCAG 2 contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a, b) {
  const luminance = (color) => {
    const [r, g, bl] = color
      .match(/[\d.]+/g)
      .slice(0, 3)
      .map((v) => {
        const c = Number(v) / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

function pathOf(url) {
  const { pathname } = new URL(url)
  return pathname.replace(/\.html$/, '')
}

describe('the built site in Chromium', () => {
  it('every page reached by links: links and anchors resolve, fits 390 px, no console error', async () => {
    const { page, problems } = await openPage(PHONE)
    const queue = ['/']
    const visited = new Map() // path -> ids on the page
    const anchorsWanted = [] // [from, path, id]
    while (queue.length > 0) {
      const current = queue.shift()
      if (visited.has(current)) continue
      const response = await page.goto(site.origin + current, { waitUntil: 'load' })
      expect(response.status(), `${current} answered ${response.status()}`).toBe(200)
      await page.waitForSelector('#app > *', { timeout: 15_000 })
      const facts = await page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        notFound: Boolean(document.querySelector('.NotFound')),
        ids: [...document.querySelectorAll('[id]')].map((el) => el.id),
        links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
      }))
      expect(facts.notFound, `${current} is VitePress's 404 page`).toBe(false)
      expect(
        facts.width,
        `${current} is ${facts.width} px wide on a 390 px phone`,
      ).toBeLessThanOrEqual(PHONE.width)
      visited.set(current, new Set(facts.ids))
      for (const href of facts.links) {
        const url = new URL(href)
        if (url.origin !== site.origin) continue
        if (/\.(svg|png|json|css|js)$/.test(url.pathname)) continue // assets: checked by the request log
        const target = pathOf(url.href)
        if (url.hash.length > 1)
          anchorsWanted.push([current, target, decodeURIComponent(url.hash.slice(1))])
        if (!visited.has(target)) queue.push(target)
      }
    }
    const broken = anchorsWanted
      .filter(([, target, id]) => !visited.get(target)?.has(id))
      .map(([from, target, id]) => `${from} -> ${target}#${id}`)
    expect(broken).toEqual([])
    const reached = [...visited.keys()]
    for (const expected of expectedPages) {
      const url = `/${expected}`.replace(/(^|\/)index$/, '$1')
      expect(reached, `${url} is not linked from anywhere`).toContain(url)
    }
    expect(problems).toEqual([])
    await page.close()
  })

  it('local search finds a known word and leads to its page', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await page.goto(`${site.origin}/`, { waitUntil: 'load' })
    await page.click('.VPNavBarSearch button')
    await page.fill('.VPLocalSearchBox input', 'deadlock')
    const result = page.locator(
      '.VPLocalSearchBox .result[href="/guide/troubleshooting#err_palitra_deadlock"]',
    )
    await result.first().waitFor({ timeout: 15_000 })
    await result.first().click()
    await page.waitForURL(/\/guide\/troubleshooting#err_palitra_deadlock$/, { timeout: 15_000 })
    // The router changes the URL before it renders the page: wait (bounded) for the heading.
    await page.locator('#err_palitra_deadlock').waitFor({ state: 'visible', timeout: 15_000 })
    expect(problems).toEqual([])
    await page.close()
  })

  it('the dark mode switch turns the page dark, and the choice survives a reload', async () => {
    const { page, problems } = await openPage(DESKTOP)
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(`${site.origin}/guide/getting-started`, { waitUntil: 'load' })
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains('dark'))
    expect(await isDark()).toBe(false)
    await page.click('.VPNavBarAppearance button')
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'))
    await page.reload({ waitUntil: 'load' })
    expect(await isDark()).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('on a phone: the menu opens, code has a copy button, chart text is legible, startup is in ms', async () => {
    const { page, problems } = await openPage(PHONE)
    await page.goto(`${site.origin}/guide/getting-started`, { waitUntil: 'load' })
    const title = await page.locator('h1').boundingBox()
    expect(title.y, 'the page title starts near the top of the phone screen').toBeLessThan(250)
    await page.click('.VPNavBarHamburger')
    await page.locator('.VPNavScreen').waitFor({ state: 'visible', timeout: 10_000 })
    expect(await page.locator('.VPNavScreen a[href="/benchmarks/"]').count()).toBeGreaterThan(0)
    expect(await page.locator('div[class*="language-"] button.copy').count()).toBeGreaterThan(0)

    await page.goto(`${site.origin}/benchmarks/`, { waitUntil: 'load' })
    const fontSizes = await page.$$eval(
      '.bench-chart .bench-label, .bench-chart figcaption',
      (els) => els.map((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    )
    expect(fontSizes.length).toBeGreaterThan(20)
    expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(12)
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out, spaces between spans included (a Playwright locator, not a DOM node)
    const startup = await page.locator('#startup ~ .bench-chart').first().innerText()
    expect(startup).toContain('ms to first result')
    expect(startup).toMatch(/palitra worker\s+[\d.,]+ ms · \+[\d.]+ MB RSS/)
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out, spaces between spans included (a Playwright locator, not a DOM node)
    const startupTable = await page.locator('#startup ~ table').first().innerText()
    expect(startupTable).toContain('RSS')
    expect(problems).toEqual([])
    await page.close()
  })

  it.each(['light', 'dark'])(
    'code comments meet WCAG AA contrast (4.5:1) in %s mode',
    async (scheme) => {
      const { page, problems } = await openPage(DESKTOP)
      await page.addInitScript(
        (value) => localStorage.setItem('vitepress-theme-appearance', value),
        scheme,
      )
      await page.goto(`${site.origin}/guide/getting-started`, { waitUntil: 'load' })
      expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(
        scheme === 'dark',
      )
      const pairs = await page.$$eval('.vp-doc div[class*="language-"] .line span', (spans) =>
        spans
          .filter((span) => span.textContent.trim().startsWith('//'))
          .map((span) => {
            let el = span
            let background = 'rgba(0, 0, 0, 0)'
            while (el && /rgba\(0, 0, 0, 0\)|transparent/.test(background)) {
              background = getComputedStyle(el).backgroundColor
              el = el.parentElement
            }
            return [getComputedStyle(span).color, background]
          }),
      )
      expect(pairs.length).toBeGreaterThan(3)
      for (const [color, background] of pairs) {
        expect(contrast(color, background), `${color} on ${background}`).toBeGreaterThanOrEqual(4.5)
      }
      expect(problems).toEqual([])
      await page.close()
    },
  )
})
