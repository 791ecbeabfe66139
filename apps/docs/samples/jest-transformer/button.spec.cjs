const css = require('./styles/button.css')

test('the stylesheet arrives with its @import inlined', () => {
  expect(css).toContain('--brand: #3451b2')
  expect(css).toContain('.button')
  expect(css).not.toContain('@import')
})
