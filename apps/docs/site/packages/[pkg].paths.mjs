// One page per package README: a package added under packages/ gets its page on the next build.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { packageDirs, repoRoot } from '../.vitepress/repo.mjs'

export default {
  watch: ['../../../../packages/*/README.md'],
  paths() {
    return packageDirs().map((pkg) => ({
      params: { pkg },
      content: readFileSync(path.join(repoRoot, 'packages', pkg, 'README.md'), 'utf8'),
    }))
  },
}
