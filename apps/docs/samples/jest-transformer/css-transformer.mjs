// A Jest transformer: Jest calls it synchronously for every CSS file a test requires.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { syncFn } from '@palitra/core'

const compileCss = syncFn(new URL('./postcss-task.mjs', import.meta.url), 'compileCss')

export default {
  process(sourceText, sourcePath) {
    const { css } = compileCss(sourceText, sourcePath)
    return { code: `module.exports = ${JSON.stringify(css)};` }
  },
  // The cached result must change when an @import-ed file does, not only the file itself.
  getCacheKey(sourceText, sourcePath) {
    const hash = createHash('sha256').update(sourcePath).update(sourceText)
    for (const file of compileCss(sourceText, sourcePath).dependencies)
      hash.update(readFileSync(file))
    return hash.digest('hex')
  },
}
