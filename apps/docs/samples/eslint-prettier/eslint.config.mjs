import formatting from './eslint-plugin-formatting/index.mjs'

export default [
  {
    files: ['**/*.js'],
    plugins: { formatting },
    rules: { 'formatting/prettier': 'error' },
  },
]
