// The site of this very repository: whatever its READMEs and bench results are today.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { brokenLinks, build, externalAssets, htmlFiles } from './helpers.js'

const root = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)))

describe('the site of this repository', () => {
  /** @type {Awaited<ReturnType<typeof build>>} */
  let site
  before(async () => {
    site = await build(root)
  })

  it('has a main page made from the root README', async () => {
    const html = await site.read('index.html')
    assert.match(html, /<!doctype html>/)
    if (existsSync(path.join(root, 'README.md'))) {
      assert.match(html, /<article class="markdown">\s*<h1 id="[^"]+">/)
      assert.doesNotMatch(html, /no <code>README.md<\/code> yet/)
    }
  })

  it('has one page per package README, and none for a package without one', async () => {
    const dirs = (await readdir(path.join(root, 'packages'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    assert.ok(dirs.length > 0)
    for (const dir of dirs) {
      const hasReadme = existsSync(path.join(root, 'packages', dir, 'README.md'))
      const page = path.join(site.outDir, 'packages', `${dir}.html`)
      assert.equal(existsSync(page), hasReadme, `packages/${dir}.html`)
      if (hasReadme) {
        const manifest = path.join(root, 'packages', dir, 'package.json')
        const name = existsSync(manifest)
          ? (JSON.parse(await readFile(manifest, 'utf8')).name ?? dir)
          : dir
        const html = await site.read(`packages/${dir}.html`)
        assert.ok(html.includes(`<title>${name} · `), `title of packages/${dir}.html`)
        assert.ok(
          (await site.read('index.html')).includes(`href="packages/${dir}.html"`),
          'linked from the sidebar',
        )
      }
    }
  })

  it('has a benchmarks page that matches the state of apps/bench/results', async () => {
    const html = await site.read('benchmarks.html')
    const results = path.join(root, 'apps', 'bench', 'results')
    const charts = existsSync(results)
      ? (await readdir(results)).filter((name) => name.endsWith('.svg'))
      : []
    const hasLatest = existsSync(path.join(results, 'latest.json'))
    for (const chart of charts) {
      assert.ok(html.includes(`src="files/apps/bench/results/${chart}"`), chart)
    }
    if (hasLatest) {
      assert.match(html, /<table class="bench">|could not be read|holds no results/)
    }
    if (charts.length === 0 && !hasLatest) {
      assert.match(html, /has not been run yet/)
      assert.match(html, /<code[^>]*>pnpm bench<\/code>/)
    }
  })

  it('has no link or image that points at a missing file or anchor', async () => {
    assert.deepEqual(await brokenLinks(site.outDir), [])
  })

  it('loads no script or stylesheet from the network', async () => {
    for (const page of await htmlFiles(site.outDir)) {
      const html = await readFile(path.join(site.outDir, page), 'utf8')
      assert.deepEqual(externalAssets(html), [], page)
      assert.match(html, /<link rel="stylesheet" href="(\.\.\/)?assets\/style\.css">/, page)
    }
    assert.doesNotMatch(
      await readFile(path.join(site.outDir, 'assets', 'style.css'), 'utf8'),
      /@import|url\(\s*["']?(https?:)?\/\//,
    )
  })
})
