// Build-time syntax highlighting: highlight.js core with the few languages the READMEs use.
// The output is plain HTML with `hljs-*` classes; the colours live in style.css.
import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import diff from 'highlight.js/lib/languages/diff'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import shell from 'highlight.js/lib/languages/shell'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'

hljs.registerLanguage('javascript', javascript)
hljs.registerLanguage('typescript', typescript)
hljs.registerLanguage('bash', bash)
hljs.registerLanguage('shell', shell)
hljs.registerLanguage('json', json)
hljs.registerLanguage('yaml', yaml)
hljs.registerLanguage('diff', diff)
hljs.registerLanguage('xml', xml)
hljs.registerAliases(['mjs', 'cjs', 'jsx'], { languageName: 'javascript' })
hljs.registerAliases(['mts', 'cts', 'tsx'], { languageName: 'typescript' })
hljs.registerAliases(['sh', 'zsh'], { languageName: 'bash' })
hljs.registerAliases(['console'], { languageName: 'shell' })
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' })
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' })

/**
 * Highlights a code block. Unknown or missing languages come back escaped, not highlighted.
 * @param {string} code the raw code
 * @param {string} [lang] the info string's first word (`js`, `ts`, `sh`, …)
 * @returns {{ html: string, language: string | null }}
 */
export function highlight(code, lang) {
  const name = lang?.trim().toLowerCase()
  if (name && hljs.getLanguage(name)) {
    const { value } = hljs.highlight(code, { language: name, ignoreIllegals: true })
    return { html: value, language: name }
  }
  return { html: escapeHtml(code), language: name || null }
}

/**
 * @param {string} text
 * @returns {string}
 */
export function escapeHtml(text) {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}
