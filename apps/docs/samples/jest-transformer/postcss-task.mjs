// Runs in the runner's host. postcss-import resolves @import asynchronously, so PostCSS's
// synchronous API refuses to run it; here it runs as usual, and the processor is built once.
import postcss from 'postcss'
import postcssImport from 'postcss-import'

const processor = postcss([postcssImport()])

export async function compileCss(css, from) {
  const result = await processor.process(css, { from })
  const dependencies = result.messages.filter((m) => m.type === 'dependency').map((m) => m.file)
  return { css: result.css, dependencies }
}
