// The HTML page around a rendered body: head, sidebar navigation, "on this page" contents.
// Everything it links to is inside the site; no fonts, scripts or styles from the network.
import { escapeHtml } from './highlight.js'
import { relativeUrl } from './links.js'

/**
 * @typedef {object} NavItem
 * @property {string} page path inside the site (`packages/core.html`)
 * @property {string} label
 * @property {string} [group] items with the same group are listed under one caption
 */

/**
 * @typedef {object} LayoutInput
 * @property {string} siteName
 * @property {string} page path of this page inside the site
 * @property {string} title
 * @property {string} [description]
 * @property {string} body the rendered content
 * @property {import('./markdown.js').Heading[]} headings of the body, for "On this page"
 * @property {NavItem[]} nav every page, in order
 * @property {string} stylesheet path of the stylesheet inside the site
 */

/**
 * @param {LayoutInput} input
 * @returns {string} a complete HTML document
 */
export function layout({ siteName, page, title, description, body, headings, nav, stylesheet }) {
  const url = (/** @type {string} */ to) => escapeHtml(relativeUrl(page, to))
  const fullTitle = title === siteName ? siteName : `${title} · ${siteName}`
  const meta = description ? `\n<meta name="description" content="${escapeHtml(description)}">` : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">${meta}
<title>${escapeHtml(fullTitle)}</title>
<link rel="stylesheet" href="${url(stylesheet)}">
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<div class="layout">
<aside class="sidebar">
<a class="brand" href="${url(nav[0]?.page ?? page)}">${escapeHtml(siteName)}</a>
<nav aria-label="Site">
${navList(nav, page, url)}
</nav>
${toc(headings)}
</aside>
<main id="content" class="content">
<article class="markdown">
${body}</article>
<footer class="footer">Generated from the repository's Markdown by <code>@palitra/docs</code>.</footer>
</main>
</div>
</body>
</html>
`
}

/**
 * @param {NavItem[]} nav
 * @param {string} current
 * @param {(to: string) => string} url
 */
function navList(nav, current, url) {
  /** @type {string[]} */
  const out = []
  /** @type {string | undefined} */
  let group
  let open = false
  for (const item of nav) {
    if (item.group !== group) {
      if (open) out.push('</ul>')
      group = item.group
      if (group) out.push(`<p class="nav-group">${escapeHtml(group)}</p>`)
      out.push('<ul>')
      open = true
    } else if (!open) {
      out.push('<ul>')
      open = true
    }
    const here = item.page === current ? ' aria-current="page"' : ''
    out.push(`<li><a href="${url(item.page)}"${here}>${escapeHtml(item.label)}</a></li>`)
  }
  if (open) out.push('</ul>')
  return out.join('\n')
}

/**
 * "On this page": the level-2 headings, with their level-3 headings under them.
 * @param {import('./markdown.js').Heading[]} headings
 */
function toc(headings) {
  const sections = headings.filter((h) => h.depth === 2 || h.depth === 3)
  if (sections.filter((h) => h.depth === 2).length < 2) return ''
  /** @type {string[]} */
  const out = [
    '<nav class="toc" aria-label="On this page">',
    '<p class="nav-group">On this page</p>',
    '<ul>',
  ]
  let nested = false
  let item = false
  for (const h of sections) {
    const link = `<a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a>`
    if (h.depth === 2) {
      if (nested) out.push('</ul>')
      if (item) out.push('</li>')
      nested = false
      out.push(`<li>${link}`)
      item = true
    } else if (item) {
      if (!nested) out.push('<ul>')
      nested = true
      out.push(`<li>${link}</li>`)
    }
  }
  if (nested) out.push('</ul>')
  if (item) out.push('</li>')
  out.push('</ul>', '</nav>')
  return out.join('\n')
}
