export default {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.cjs'],
  transform: { '\\.css$': './css-transformer.mjs' },
}
