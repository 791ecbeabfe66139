// The small pieces on their own: reading latest.json, mapping links, rendering Markdown.
import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { benchFacts, benchRows, chartsInTableOrder, formatMicros } from '../src/bench.js'
import { layout } from '../src/layout.js'
import { createLinkResolver, isExternal, relativeUrl } from '../src/links.js'
import { renderMarkdown } from '../src/markdown.js'

describe('benchRows', () => {
  it('reads a flat list of rows', () => {
    const rows = benchRows([{ workload: 'noop', subject: 'worker', usPerCall: 2, ratio: 1 }])
    assert.deepEqual(rows, [
      {
        workload: 'noop',
        subject: 'worker',
        value: 2,
        ratio: 1,
        floor: null,
        floorRatio: null,
        unit: null,
      },
    ])
  })

  it('finds rows under any key and fills missing names from the keys', () => {
    const rows = benchRows({
      meta: { node: 'v20' },
      workloads: {
        noop: { worker: { usPerCall: 2, ratio: 1 }, synckit: { usPerCall: 40 } },
        echo: [{ subject: 'worker', usPerCall: 3, unit: 'µs overhead' }],
      },
    })
    assert.deepEqual(rows, [
      {
        workload: 'noop',
        subject: 'worker',
        value: 2,
        ratio: 1,
        floor: null,
        floorRatio: null,
        unit: null,
      },
      {
        workload: 'noop',
        subject: 'synckit',
        value: 40,
        ratio: null,
        floor: null,
        floorRatio: null,
        unit: null,
      },
      {
        workload: 'echo',
        subject: 'worker',
        value: 3,
        ratio: null,
        floor: null,
        floorRatio: null,
        unit: 'µs overhead',
      },
    ])
  })

  it('reads the field a row names as its figure (bench results schema 2)', () => {
    const rows = benchRows({
      results: [
        { workload: 'startup', subject: 'worker', figure: 'coldMs', coldMs: 80, unit: 'ms' },
        { workload: 'startup', subject: 'x', figure: 'coldMs', coldMs: null, unit: 'ms' },
        { workload: 'io-batch', subject: 'worker', figure: 'msPerBatch', msPerBatch: 11, ratio: 1 },
      ],
    })
    assert.deepEqual(rows, [
      {
        workload: 'startup',
        subject: 'worker',
        value: 80,
        ratio: null,
        floor: null,
        floorRatio: null,
        unit: 'ms',
      },
      {
        workload: 'io-batch',
        subject: 'worker',
        value: 11,
        ratio: 1,
        floor: null,
        floorRatio: null,
        unit: null,
      },
    ])
  })

  it('ignores entries without a finite usPerCall', () => {
    assert.deepEqual(benchRows({ results: [{ workload: 'a', usPerCall: null }, 'x', 3] }), [])
  })

  it('lists the run facts', () => {
    assert.deepEqual(benchFacts({ node: 'v20', quick: true, rows: [], meta: { cpus: 2 } }), [
      ['node', 'v20'],
      ['quick', 'true'],
      ['cpus', '2'],
    ])
    assert.deepEqual(benchFacts([]), [])
  })

  it('orders charts like the workloads of latest.json, others last', () => {
    const rows = benchRows([
      { workload: 'tight-loop', subject: 'a', usPerCall: 1 },
      { workload: 'buffer-1m', subject: 'a', usPerCall: 1 },
    ])
    const charts = ['a-extra.svg', 'buffer-1m.svg', 'tight-loop.svg'].map((name) => ({ name }))
    assert.deepEqual(
      chartsInTableOrder(charts, rows).map((c) => c.name),
      ['tight-loop.svg', 'buffer-1m.svg', 'a-extra.svg'],
    )
  })

  it('formats microseconds', () => {
    assert.equal(formatMicros(0.0123), '0.012')
    assert.equal(formatMicros(2.345), '2.35')
    assert.equal(formatMicros(12.34), '12.3')
    assert.equal(formatMicros(31250), '31,250')
  })
})

describe('links', () => {
  const root = path.resolve('/repo')
  const pages = new Map([
    [path.join(root, 'README.md'), 'index.html'],
    [root, 'index.html'],
    [path.join(root, 'packages/core/README.md'), 'packages/core.html'],
  ])
  /** @type {string[]} */
  const copied = []
  const resolve = createLinkResolver({
    root,
    pages,
    copyFile: (repoPath) => {
      copied.push(repoPath)
      return `files/${repoPath}`
    },
  })
  const from = path.join(root, 'packages/core/README.md')

  it('maps README paths to pages, keeping the fragment', () => {
    assert.deepEqual(resolve('../../README.md#api', 'link', from, 'packages/core.html'), {
      href: '../index.html#api',
    })
    assert.deepEqual(resolve('../..', 'link', from, 'packages/core.html'), {
      href: '../index.html',
    })
    assert.deepEqual(resolve('/packages/core/README.md', 'link', from, 'packages/core.html'), {
      href: 'core.html',
    })
  })

  it('leaves external links and same-page anchors alone', () => {
    for (const href of ['https://example.com/x', 'mailto:a@b.c', '//cdn.example/x.js', '#api']) {
      assert.deepEqual(resolve(href, 'link', from, 'packages/core.html'), { href })
    }
    assert.equal(isExternal('README.md'), false)
  })

  it('reports repository files without a page, and paths outside the repository', () => {
    assert.deepEqual(resolve('src/index.ts', 'link', from, 'packages/core.html'), {
      unlinked: true,
      repoPath: 'packages/core/src/index.ts',
    })
    assert.deepEqual(resolve('../../../etc/passwd', 'link', from, 'packages/core.html'), {
      unlinked: true,
      repoPath: '../etc/passwd',
    })
    assert.deepEqual(copied, [])
  })

  it('computes relative URLs between pages', () => {
    assert.equal(relativeUrl('index.html', 'index.html'), 'index.html')
    assert.equal(relativeUrl('packages/a.html', 'assets/style.css'), '../assets/style.css')
    assert.equal(relativeUrl('index.html', 'files/a b.svg'), 'files/a%20b.svg')
  })
})

describe('renderMarkdown', () => {
  const options = {
    fromFile: path.resolve('/repo/README.md'),
    fromPage: 'index.html',
    resolveLink: createLinkResolver({
      root: path.resolve('/repo'),
      pages: new Map(),
      copyFile: (p) => p,
    }),
  }

  it('returns the title and every heading with GitHub ids', () => {
    const out = renderMarkdown(
      '# The *title*\n\n## A & B\n\n## A & B\n\n### `x()` <br> y\n',
      options,
    )
    assert.equal(out.title, 'The title')
    assert.deepEqual(
      out.headings.map((h) => h.id),
      ['the-title', 'a--b', 'a--b-1', 'x--y'],
    )
  })

  it('renders GFM tables and task lists', () => {
    const out = renderMarkdown('| a |\n| - |\n| 1 |\n\n- [x] done\n', options)
    assert.match(out.html, /<td>1<\/td>/)
    assert.match(out.html, /<input checked="" disabled="" type="checkbox">/)
  })
})

describe('layout', () => {
  it('marks the current page and links everything relative to it', () => {
    const html = layout({
      siteName: 'demo',
      page: 'packages/a.html',
      title: '@demo/a',
      body: '<h1 id="a">a</h1>',
      headings: [],
      nav: [
        { page: 'index.html', label: 'Overview' },
        { page: 'packages/a.html', label: '@demo/a', group: 'Packages' },
      ],
      stylesheet: 'assets/style.css',
    })
    assert.match(html, /<title>@demo\/a · demo<\/title>/)
    assert.match(html, /<link rel="stylesheet" href="..\/assets\/style.css">/)
    assert.match(html, /<a href="a.html" aria-current="page">@demo\/a<\/a>/)
    assert.match(html, /<a href="..\/index.html">Overview<\/a>/)
  })
})
