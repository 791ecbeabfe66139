// A markdown-it plugin for the pages that show a repository README: links written for GitHub
// (`../backend-worker/README.md`, `apps/bench/results/tight-loop.svg`) become the site's pages or
// bundled assets; links to files the site has no page for keep their text. VitePress's own link
// check then sees the rewritten links, so a README link to a missing page fails the build.
import path from 'node:path'
import { pageOfRepoPath, repoRoot, siteDir, sourceOfPage } from './repo.mjs'

const external = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i
const image = /\.(?:svg|png|jpe?g|gif|webp)$/i

export function repoLinksPlugin(md) {
  md.core.ruler.after('inline', 'palitra-repo-links', (state) => {
    const source = sourceOfPage(state.env.relativePath ?? '')
    if (!source) return
    const pageFile = path.join(siteDir, pageSourceFile(state.env.relativePath))
    for (const block of state.tokens) {
      if (!block.children) continue
      const children = block.children
      for (let i = 0; i < children.length; i++) {
        const token = children[i]
        if (token.type === 'image') {
          const src = token.attrGet('src')
          if (src && !external.test(src)) token.attrSet('src', assetPath(source, src, pageFile))
        } else if (token.type === 'link_open') {
          const href = token.attrGet('href')
          if (!href || external.test(href)) continue
          const [target, hash] = splitHash(href)
          const repoPath = path.posix.normalize(path.posix.join(path.posix.dirname(source), target))
          const page = pageOfRepoPath(repoPath)
          if (page) token.attrSet('href', page + hash)
          else if (image.test(target)) token.attrSet('href', assetPath(source, href, pageFile))
          else i = unwrapLink(children, i)
        }
      }
    }
  })
}

// A dynamic route's page is rendered from its template (`packages/[pkg].md`).
function pageSourceFile(relativePath) {
  return relativePath.startsWith('packages/') ? 'packages/[pkg].md' : relativePath
}

function splitHash(href) {
  const at = href.indexOf('#')
  return at === -1 ? [href, ''] : [href.slice(0, at), href.slice(at)]
}

// Relative from the page's source file, so Vite bundles the repository file as an asset.
function assetPath(source, src, pageFile) {
  const file = path.join(repoRoot, path.posix.dirname(source), src)
  const relative = path.relative(path.dirname(pageFile), file).split(path.sep).join('/')
  return relative.startsWith('.') ? relative : `./${relative}`
}

// Drops a link's open and close tokens, keeping what is between; returns the index to go on from.
function unwrapLink(children, openIndex) {
  let depth = 0
  for (let j = openIndex; j < children.length; j++) {
    if (children[j].type === 'link_open') depth++
    else if (children[j].type === 'link_close' && --depth === 0) {
      children.splice(j, 1)
      children.splice(openIndex, 1)
      return openIndex - 1
    }
  }
  return openIndex
}
