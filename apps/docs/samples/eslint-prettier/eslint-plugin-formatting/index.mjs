// An ESLint plugin whose rule needs prettier 3, whose API is async only. ESLint rules are
// synchronous, so the rule calls prettier through palitra.
import { syncFn } from '@palitra/core'

const format = syncFn(new URL('./format-task.mjs', import.meta.url), 'format')

const prettierRule = {
  meta: {
    type: 'layout',
    fixable: 'whitespace',
    messages: { unformatted: 'This file is not formatted with prettier.' },
    schema: [],
  },
  create(context) {
    return {
      Program(node) {
        const source = context.sourceCode.text
        const formatted = format(source, context.filename) // sync; prettier stays warm
        if (formatted === source) return
        context.report({
          node,
          messageId: 'unformatted',
          fix: (fixer) => fixer.replaceTextRange([0, source.length], formatted),
        })
      },
    }
  },
}

export default {
  meta: { name: 'eslint-plugin-formatting' },
  rules: { prettier: prettierRule },
}
