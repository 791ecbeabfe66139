/**
 * Where `actual` differs from `expected` (a `structuredClone` of the sent value), or undefined
 * when it is the same clone. Stricter than a deep equal: the same prototypes, own keys in the same
 * order with the same enumerability, holes where the holes are, -0 apart from 0, typed arrays with
 * the same offset into buffers of the same kind and size, and the same graph (a shared reference
 * or a cycle comes back as one, never as copies). Deep equals (vitest's, `util.isDeepStrictEqual`)
 * check none of the last three, which are what a transport gets wrong.
 */
export function cloneMismatch(
  expected: unknown,
  actual: unknown,
  path = 'value',
): string | undefined {
  const pairs = new Map<object, object>()
  const reverse = new Map<object, object>()
  const pending: [unknown, unknown, string][] = [[expected, actual, path]]
  while (pending.length > 0) {
    const [want, got, where] = pending.pop()!
    const found = compare(want, got, where, pairs, reverse, pending)
    if (found) return found
  }
  return undefined
}

const describe = (value: unknown): string => {
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} units` : JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (typeof value !== 'object' || value === null) return String(value)
  return `an object (${Object.prototype.toString.call(value)})`
}

const tag = (value: object) => Object.prototype.toString.call(value)
const boxes: Record<string, (this: unknown) => unknown> = {
  '[object Number]': Number.prototype.valueOf,
  '[object String]': String.prototype.valueOf,
  '[object Boolean]': Boolean.prototype.valueOf,
  '[object BigInt]': BigInt.prototype.valueOf,
}
const isIndex = (key: string) => /^(?:0|[1-9]\d*)$/.test(key)

function compare(
  want: unknown,
  got: unknown,
  where: string,
  pairs: Map<object, object>,
  reverse: Map<object, object>,
  pending: [unknown, unknown, string][],
): string | undefined {
  const differ = (what: string) => `${where}: ${what}`
  if (typeof want !== 'object' || want === null) {
    return Object.is(want, got)
      ? undefined
      : differ(`${describe(got)} instead of ${describe(want)}`)
  }
  if (typeof got !== 'object' || got === null)
    return differ(`${describe(got)} instead of an object`)
  const seenAs = pairs.get(want)
  if (seenAs !== undefined || reverse.has(got)) {
    return seenAs === got ? undefined : differ('a shared reference or cycle is not the same object')
  }
  pairs.set(want, got)
  reverse.set(got, want)
  if (Object.getPrototypeOf(want) !== Object.getPrototypeOf(got))
    return differ(`${tag(got)} (${got.constructor?.name}) instead of ${want.constructor?.name}`)
  if (tag(want) !== tag(got)) return differ(`${tag(got)} instead of ${tag(want)}`)

  if (ArrayBuffer.isView(want)) {
    const view = got as ArrayBufferView
    if (view.byteOffset !== want.byteOffset || view.byteLength !== want.byteLength)
      return differ(
        `a view of bytes ${view.byteOffset}+${view.byteLength} instead of ${want.byteOffset}+${want.byteLength}`,
      )
    pending.push([want.buffer, view.buffer, `${where}.buffer`])
    return undefined // Its indices are its buffer's bytes; structured clone keeps no other keys.
  }
  if (want instanceof ArrayBuffer || isShared(want)) {
    const buffer = got as ArrayBuffer
    const wantResizable = (want as { maxByteLength?: number }).maxByteLength
    const gotResizable = (buffer as { maxByteLength?: number }).maxByteLength
    if (buffer.byteLength !== want.byteLength || wantResizable !== gotResizable)
      return differ(`a buffer of ${buffer.byteLength} bytes instead of ${want.byteLength}`)
    const a = new Uint8Array(want)
    const b = new Uint8Array(buffer)
    for (let i = 0; i < a.length; i++)
      if (a[i] !== b[i]) return differ(`byte ${i} is ${b[i]} instead of ${a[i]}`)
    return undefined
  }
  if (want instanceof Date && !Object.is(want.getTime(), (got as Date).getTime()))
    return differ(`the date ${(got as Date).getTime()} instead of ${want.getTime()}`)
  if (want instanceof RegExp) {
    const re = got as RegExp
    if (re.source !== want.source || re.flags !== want.flags)
      return differ(`${re} instead of ${want}`)
  }
  const unbox = boxes[tag(want)]
  if (unbox) {
    const a = unbox.call(want)
    const b = unbox.call(got)
    if (!Object.is(a, b)) return differ(`a boxed ${describe(b)} instead of ${describe(a)}`)
  }
  if (want instanceof Map) {
    const entries = [...(got as Map<unknown, unknown>)]
    if (entries.length !== want.size)
      return differ(`${entries.length} entries instead of ${want.size}`)
    let i = 0
    for (const [key, value] of want) {
      pending.push([value, entries[i]![1], `${where}.get(#${i})`])
      pending.push([key, entries[i]![0], `${where}.<key #${i}>`])
      i++
    }
  }
  if (want instanceof Set) {
    const items = [...(got as Set<unknown>)]
    if (items.length !== want.size) return differ(`${items.length} items instead of ${want.size}`)
    let i = 0
    for (const item of want) {
      pending.push([item, items[i], `${where}.<item #${i}>`])
      i++
    }
  }
  return compareOwnProperties(want, got, where, pending)
}

function isShared(value: object): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer
}

function compareOwnProperties(
  want: object,
  got: object,
  where: string,
  pending: [unknown, unknown, string][],
): string | undefined {
  const wantKeys = Reflect.ownKeys(want)
  const gotKeys = Reflect.ownKeys(got)
  const list = (keys: (string | symbol)[]) =>
    keys.length > 12 ? `${keys.length} keys` : `[${keys.map(String).join(', ')}]`
  if (wantKeys.length !== gotKeys.length || wantKeys.some((key, i) => key !== gotKeys[i]))
    return `${where}: own keys ${list(gotKeys)} instead of ${list(wantKeys)}`
  for (const key of wantKeys) {
    const a = Object.getOwnPropertyDescriptor(want, key)!
    const b = Object.getOwnPropertyDescriptor(got, key)!
    const at =
      typeof key === 'symbol'
        ? `${where}[${String(key)}]`
        : Array.isArray(want) && isIndex(key)
          ? `${where}[${key}]`
          : `${where}.${key}`
    if (a.enumerable !== b.enumerable)
      return `${at}: ${b.enumerable ? 'enumerable' : 'not enumerable'}, unlike the original`
    if (a.writable !== b.writable || a.configurable !== b.configurable)
      return `${at}: writable/configurable differ from the original`
    if ('value' in a !== 'value' in b) return `${at}: an accessor where a value was, or back`
    if ('value' in a) pending.push([a.value, b.value, at])
  }
  return undefined
}
