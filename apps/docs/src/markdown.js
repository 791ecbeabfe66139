// Renders one Markdown file to HTML with marked (GFM): GitHub-compatible heading ids, highlighted
// code blocks, and every link and image passed through the site's link resolver.
import GithubSlugger from 'github-slugger'
import { Marked, Renderer } from 'marked'
import { escapeHtml, highlight } from './highlight.js'

/** @typedef {import('./links.js').LinkResolver} LinkResolver */
/** @typedef {import('marked').Token} Token */

/**
 * @typedef {object} Heading
 * @property {number} depth 1 to 6
 * @property {string} id the anchor, as GitHub makes it (`choosing-a-backend`)
 * @property {string} text plain text
 */

/**
 * @typedef {object} RenderedMarkdown
 * @property {string} html the body
 * @property {string | null} title the text of the first level-1 heading
 * @property {Heading[]} headings every heading, in order
 */

/**
 * @param {string} markdown
 * @param {object} options
 * @param {string} options.fromFile absolute path of the Markdown file (relative links start there)
 * @param {string} options.fromPage path of the page inside the site (`packages/core.html`)
 * @param {LinkResolver} options.resolveLink
 * @returns {RenderedMarkdown}
 */
export function renderMarkdown(markdown, { fromFile, fromPage, resolveLink }) {
  const slugger = new GithubSlugger()
  /** @type {Heading[]} */
  const headings = []
  /** @type {WeakMap<object, string>} links with no page in the site -> their repository path */
  const unlinked = new WeakMap()

  /** @param {string} href @param {'link' | 'image'} kind */
  const resolve = (href, kind) => resolveLink(href, kind, fromFile, fromPage)

  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if (token.type === 'link' || token.type === 'image') {
        const resolved = resolve(token.href, token.type)
        if ('href' in resolved) token.href = resolved.href
        else if (token.type === 'link') unlinked.set(token, resolved.repoPath)
      } else if (token.type === 'html') {
        token.text = rewriteHtmlUrls(token.text, resolve)
      }
    },
    renderer: {
      heading({ tokens, depth }) {
        const text = plainText(tokens)
        const id = slugger.slug(text)
        headings.push({ depth, id, text })
        const inner = this.parser.parseInline(tokens)
        const anchor =
          depth > 1 ? `<a class="anchor" href="#${id}" aria-label="Link to this section">#</a>` : ''
        return `<h${depth} id="${id}">${inner}${anchor}</h${depth}>\n`
      },
      code({ text, lang }) {
        const language = (lang ?? '').match(/^\S*/)?.[0] ?? ''
        const { html, language: name } = highlight(text.replace(/\n$/, ''), language)
        const cls = name ? ` class="hljs language-${escapeHtml(name)}"` : ' class="hljs"'
        const label = name ? ` data-lang="${escapeHtml(name)}"` : ''
        return `<pre${label}><code${cls}>${html}</code></pre>\n`
      },
      link(token) {
        const repoPath = unlinked.get(token)
        if (repoPath === undefined) return false
        const inner = this.parser.parseInline(token.tokens)
        return `<span class="repo-path" title="${escapeHtml(`${repoPath} (in the repository)`)}">${inner}</span>`
      },
      table(token) {
        // marked's own table, in a box that scrolls sideways on narrow screens.
        return `<div class="table-wrap">${Renderer.prototype.table.call(this, token)}</div>\n`
      },
    },
  })

  const html = /** @type {string} */ (marked.parse(markdown, { async: false }))
  const title = headings.find((h) => h.depth === 1)?.text ?? null
  return { html, title, headings }
}

/**
 * The plain text of inline tokens, as GitHub uses it for heading ids.
 * @param {Token[]} tokens
 * @returns {string}
 */
export function plainText(tokens) {
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens)
      if (token.type === 'html') return ''
      return 'text' in token && typeof token.text === 'string' ? decodeEntities(token.text) : ''
    })
    .join('')
}

/**
 * @param {string} text
 * @returns {string}
 */
function decodeEntities(text) {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
}

/**
 * Rewrites `href` and `src` attributes in raw HTML written inside the Markdown.
 * @param {string} html
 * @param {(href: string, kind: 'link' | 'image') => import('./links.js').ResolvedLink} resolve
 * @returns {string}
 */
function rewriteHtmlUrls(html, resolve) {
  return html.replace(
    /\b(href|src)=(["'])(.*?)\2/gi,
    (whole, /** @type {string} */ attr, /** @type {string} */ quote, /** @type {string} */ url) => {
      const resolved = resolve(url, attr.toLowerCase() === 'src' ? 'image' : 'link')
      // A repository file with no page: point at nothing rather than at a missing file.
      const href = 'href' in resolved ? resolved.href : '#'
      return href === url ? whole : `${attr}=${quote}${href}${quote}`
    },
  )
}
