// Small made-up repositories: what the build does with links, missing files and bench results.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { brokenLinks, build, externalAssets, htmlFiles, makeRepo } from './helpers.js'

const CHART =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'

const README = `# demo

> A tagline.

See [choosing](#choosing-a-backend), the [core package](packages/core/README.md#usage),
[the worker](./packages/worker/) and [the example](examples/main.mjs).

![logo](docs/logo.svg)

<a href="packages/core/README.md">raw HTML link</a>

## Choosing a backend

\`\`\`js
const x = await load('a & b')
\`\`\`

## Choosing a backend

\`\`\`unknownlang
<not highlighted>
\`\`\`
`

const CORE = `# @demo/core

Back to [the main README](../../README.md#choosing-a-backend), to [the worker](../worker/README.md)
and to [a package without a README](../nodocs/README.md).

## Usage

### \`createRunner(tasks, options?)\`

| a | b |
| - | - |
| 1 | 2 |
`

const WORKER = '# @demo/worker\n\nSee [core](../core/README.md).\n'

const base = {
  'README.md': README,
  'docs/logo.svg': CHART,
  'examples/main.mjs': 'export {}\n',
  'packages/core/README.md': CORE,
  'packages/core/package.json': JSON.stringify({ name: '@demo/core', description: 'The core' }),
  'packages/worker/README.md': WORKER,
  'packages/worker/package.json': JSON.stringify({ name: '@demo/worker' }),
  'packages/nodocs/package.json': JSON.stringify({ name: '@demo/nodocs' }),
}

describe('pages and links', () => {
  it('makes a page per package README, core first, and skips packages without one', async () => {
    const site = await build(await makeRepo(base))
    assert.deepEqual(site.pages, [
      'index.html',
      'packages/core.html',
      'packages/worker.html',
      'benchmarks.html',
    ])
    assert.equal(existsSync(path.join(site.outDir, 'packages', 'nodocs.html')), false)
    const index = await site.read('index.html')
    assert.ok(
      index.indexOf('href="packages/core.html"') < index.indexOf('href="packages/worker.html"'),
    )
    assert.doesNotMatch(index, /nodocs/)
  })

  it('rewrites links between READMEs to links between pages', async () => {
    const site = await build(await makeRepo(base))
    const index = await site.read('index.html')
    assert.match(index, /<a href="#choosing-a-backend">choosing<\/a>/)
    assert.match(index, /<a href="packages\/core.html#usage">core package<\/a>/)
    assert.match(index, /<a href="packages\/worker.html">the worker<\/a>/)
    assert.match(index, /<a href="packages\/core.html">raw HTML link<\/a>/)
    const core = await site.read('packages/core.html')
    assert.match(core, /<a href="..\/index.html#choosing-a-backend">the main README<\/a>/)
    assert.match(core, /<a href="worker.html">the worker<\/a>/)
    assert.match(await site.read('packages/worker.html'), /<a href="core.html">core<\/a>/)
  })

  it('keeps the text of links to repository files that have no page, without a link', async () => {
    const site = await build(await makeRepo(base))
    const index = await site.read('index.html')
    assert.match(
      index,
      /<span class="repo-path" title="examples\/main.mjs[^"]*">the example<\/span>/,
    )
    const core = await site.read('packages/core.html')
    assert.match(core, /<span class="repo-path"[^>]*>a package without a README<\/span>/)
  })

  it('copies images into the site', async () => {
    const site = await build(await makeRepo(base))
    assert.match(await site.read('index.html'), /<img src="files\/docs\/logo.svg" alt="logo">/)
    assert.ok(existsSync(path.join(site.outDir, 'files', 'docs', 'logo.svg')))
  })

  it('gives headings GitHub ids and lists them under "On this page"', async () => {
    const site = await build(await makeRepo(base))
    const index = await site.read('index.html')
    assert.match(index, /<h2 id="choosing-a-backend">/)
    assert.match(index, /<h2 id="choosing-a-backend-1">/)
    const core = await site.read('packages/core.html')
    assert.match(
      core,
      /<h3 id="createrunnertasks-options"><code>createRunner\(tasks, options\?\)<\/code>/,
    )
    assert.match(core, /<div class="table-wrap"><table>/)
    assert.match(index, /<nav class="toc"[^>]*>[\s\S]*href="#choosing-a-backend-1"/)
  })

  it('highlights known languages and escapes the rest', async () => {
    const index = await (await build(await makeRepo(base))).read('index.html')
    assert.match(index, /<code class="hljs language-js"><span class="hljs-keyword">const<\/span>/)
    assert.match(index, /<span class="hljs-string">&#x27;a &amp; b&#x27;<\/span>/)
    assert.match(index, /&lt;not highlighted&gt;/)
  })

  it('produces no broken links and no network assets', async () => {
    const site = await build(await makeRepo(base))
    assert.deepEqual(await brokenLinks(site.outDir), [])
    for (const page of await htmlFiles(site.outDir)) {
      assert.deepEqual(externalAssets(await site.read(page)), [], page)
    }
  })

  it('still makes a main page when the root README is missing', async () => {
    const { 'README.md': _, ...rest } = base
    const core = '# @demo/core\n\nBack to [the main README](../../README.md).\n'
    const site = await build(await makeRepo({ ...rest, 'packages/core/README.md': core }))
    assert.match(await site.read('index.html'), /no <code>README.md<\/code> yet/)
    assert.deepEqual(await brokenLinks(site.outDir), [])
  })
})

describe('the benchmarks page', () => {
  it('says the bench has not been run, and how to run it, when there are no results', async () => {
    const html = await (await build(await makeRepo(base))).read('benchmarks.html')
    assert.match(html, /The benchmark has not been run yet/)
    assert.match(html, /<code[^>]*>pnpm bench<\/code>/)
    assert.doesNotMatch(html, /<table/)
  })

  it('embeds every chart and tabulates latest.json', async () => {
    const latest = {
      node: 'v20.20.2',
      results: [
        {
          workload: 'noop',
          subject: 'worker',
          usPerCall: 2.5,
          ratio: 1,
          floor: 'floor-thread',
          floorRatio: 4,
        },
        { workload: 'noop', subject: 'synckit', usPerCall: 40, ratio: 16 },
        { workload: 'echo', subject: 'worker', usPerCall: 1234.5, ratio: 1 },
      ],
    }
    const site = await build(
      await makeRepo({
        ...base,
        'apps/bench/results/latest.json': JSON.stringify(latest),
        'apps/bench/results/noop.svg': CHART,
        'apps/bench/results/echo.svg': CHART,
      }),
    )
    const html = await site.read('benchmarks.html')
    assert.match(html, /<img src="files\/apps\/bench\/results\/echo.svg"/)
    assert.match(html, /<img src="files\/apps\/bench\/results\/noop.svg"/)
    assert.ok(existsSync(path.join(site.outDir, 'files/apps/bench/results/noop.svg')))
    const rows = [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) =>
      [...m[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]),
    )
    assert.deepEqual(rows, [
      ['workload', 'subject', 'µs per call, or as noted', 'ratio', '× floor'],
      ['noop', 'worker', '2.50', '1.00×', '4.00× <span class="unit">floor-thread</span>'],
      ['', 'synckit', '40.0', '16.0×', '—'],
      ['echo', 'worker', '1,235', '1.00×', '—'],
    ])
    assert.match(html, /<dt>node<\/dt><dd>v20.20.2<\/dd>/)
    assert.doesNotMatch(html, /has not been run/)
    assert.deepEqual(await brokenLinks(site.outDir), [])
  })

  it('says so when latest.json cannot be parsed', async () => {
    const site = await build(
      await makeRepo({ ...base, 'apps/bench/results/latest.json': '{ nope' }),
    )
    const html = await site.read('benchmarks.html')
    assert.match(html, /<code>apps\/bench\/results\/latest.json<\/code> could not be read/)
    assert.match(html, /<code[^>]*>pnpm bench<\/code>/)
  })

  it('shows the charts even without latest.json', async () => {
    const site = await build(await makeRepo({ ...base, 'apps/bench/results/a.svg': CHART }))
    const html = await site.read('benchmarks.html')
    assert.match(html, /<img src="files\/apps\/bench\/results\/a.svg"/)
    assert.match(html, /No <code>latest.json<\/code>/)
  })
})
