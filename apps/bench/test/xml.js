import assert from 'node:assert/strict'

/**
 * A small XML well-formedness check (no parser in Node's standard library): every tag is closed
 * in order, attributes are quoted, and `&` only starts an entity.
 * @param {string} xml
 */
export function assertWellFormed(xml) {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '')
  assert.doesNotMatch(body, /&(?!(amp|lt|gt|quot|#39);)/, 'bare &')
  /** @type {string[]} */
  const stack = []
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|</g
  let match
  let last = 0
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual exec loop
  while ((match = tag.exec(body)) !== null) {
    assert.ok(
      match[2],
      `a stray < or a malformed tag at ${match.index}: ${body.slice(match.index, match.index + 60)}`,
    )
    assert.doesNotMatch(body.slice(last, match.index), />/, 'a stray >')
    last = tag.lastIndex
    if (match[4]) continue
    if (match[1]) assert.equal(stack.pop(), match[2], `</${match[2]}> closes the wrong tag`)
    else stack.push(match[2])
  }
  assert.deepEqual(stack, [], 'unclosed tags')
}
