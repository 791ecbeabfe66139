/**
 * The tight-loop road: a list of primitives (a call's name and arguments, a primitive result) as
 * tagged bytes: a tenth of what JSON costs, and JSON would be most of a tight-loop round trip.
 * Binary data (an ArrayBuffer, a typed array, a DataView) goes the same way, as one copy of its
 * bytes each side: structured clone through a port costs several copies and a port message.
 */
import { isArrayBuffer, isDataView } from 'node:util/types'

/** Node's own Buffer string methods: they skip the encoding lookup of `write`/`toString`. */
export type RawBuffer = Buffer & {
  utf8Write(text: string, offset: number): number
  utf8Slice(start: number, end: number): string
  latin1Write(text: string, offset: number): number
  latin1Slice(start: number, end: number): string
}

/** `String.prototype.isWellFormed` (ES2024; every supported runtime has it, the TS lib is ES2023). */
type WellFormedCheck = string & { isWellFormed(): boolean }

const tagUndefined = 0
const tagNull = 1
const tagFalse = 2
const tagTrue = 3
const tagInt32 = 4
const tagFloat64 = 5
const tagString = 6
const tagBigInt = 7
/** A short ASCII string (a task's name), written and read in JS without a call into C++. */
const tagAscii = 8
/**
 * A long string with no character past U+00FF, as one byte per character: a copy each way, where
 * structured clone, JSON and UTF-8 all cost several times that. (Source text, the usual long
 * string a task takes and returns, is such a string.)
 */
const tagLatin1 = 9

/**
 * An ArrayBuffer, or a view of one, as structured clone gives it: the view's kind, offset and
 * length over a copy of its whole buffer (so `byteOffset` and `buffer.byteLength` come back as
 * they were, a pooled Buffer's slab included). A Buffer comes back a Uint8Array, as from clone.
 */
const tagBinary = 10
const binaryHeaderBytes = 14

/**
 * What `tagBinary` carries by index: the buffer itself, then the views structured clone keeps by
 * kind. A kind this runtime lacks (Float16Array) is sent another road.
 */
const binaryKinds = [
  'ArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Float16Array',
] as const

const uint8Kind = binaryKinds.indexOf('Uint8Array')

type BinaryConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => unknown
const binaryConstructors = binaryKinds.map((name) =>
  name === 'ArrayBuffer'
    ? undefined
    : ((globalThis as Record<string, unknown>)[name] as BinaryConstructor | undefined),
)

/**
 * The intrinsic getters: a view's own properties (a `length` defined on it, say) cannot fake
 * what structured clone reads from its internal slots.
 */
const getter = (target: object, key: PropertyKey) =>
  Object.getOwnPropertyDescriptor(target, key)!.get as (this: unknown) => any
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object
const typedArray = {
  kind: getter(typedArrayPrototype, Symbol.toStringTag),
  buffer: getter(typedArrayPrototype, 'buffer'),
  byteOffset: getter(typedArrayPrototype, 'byteOffset'),
  length: getter(typedArrayPrototype, 'length'),
}
const dataView = {
  buffer: getter(DataView.prototype, 'buffer'),
  byteOffset: getter(DataView.prototype, 'byteOffset'),
  byteLength: getter(DataView.prototype, 'byteLength'),
}
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength')
const arrayBufferResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')
  ?.get as ((this: unknown) => boolean) | undefined

interface Binary {
  readonly kind: number
  readonly buffer: ArrayBuffer
  readonly byteLength: number
  /** Of the view, in bytes; 0 for a buffer. */
  readonly byteOffset: number
  /** Of the view, in its elements (bytes for a DataView); 0 for a buffer. */
  readonly length: number
}

/**
 * `item` as binary data this road carries exactly, or undefined: memory that must stay shared
 * (a SharedArrayBuffer), a resizable buffer (clone keeps it resizable, and a view may track its
 * length), and an empty one (a detached buffer looks so, and clone refuses it) go another road.
 */
function binaryOf(item: object): Binary | undefined {
  let kind = 0
  let buffer: unknown = item
  let byteOffset = 0
  let length = 0
  if (isDataView(item)) {
    kind = 1
    buffer = dataView.buffer.call(item)
    byteOffset = dataView.byteOffset.call(item)
    length = dataView.byteLength.call(item)
  } else if (ArrayBuffer.isView(item)) {
    kind = binaryKinds.indexOf(typedArray.kind.call(item))
    if (kind < 2 || !binaryConstructors[kind]) return undefined
    buffer = typedArray.buffer.call(item)
    byteOffset = typedArray.byteOffset.call(item)
    length = typedArray.length.call(item)
  } else if (!isArrayBuffer(item)) {
    return undefined
  }
  if (!isArrayBuffer(buffer) || arrayBufferResizable?.call(buffer) === true) return undefined
  const byteLength: number = arrayBufferByteLength.call(buffer)
  if (byteLength === 0) return undefined
  return { kind, buffer, byteLength, byteOffset, length }
}

/**
 * Copies into and out of the shared area. A typed array's `set` on shared memory copies a byte
 * at a time (the memory model allows the other thread to race each byte); `Buffer#fill` with a
 * buffer as its value is one memcpy in C++, an order of magnitude faster on Node and Bun once a
 * body is past a few dozen bytes. Deno's `fill` is written in JS, and slower there than `set`.
 */
const fillCopies = !('Deno' in globalThis)
/** Up to this size V8 keeps a typed array's bytes on its heap, and `set` is the cheaper call. */
const setCopiesUpTo = 64

function copyInto(target: Buffer, at: number, source: Uint8Array): void {
  if (fillCopies && source.length > setCopiesUpTo) target.fill(source, at, at + source.length)
  else target.set(source, at)
}

/** A Uint8Array holding a copy of `source`, on a new ArrayBuffer of exactly its size. */
function copyOut(source: Buffer): Uint8Array {
  const size = source.length
  if (!fillCopies || size <= setCopiesUpTo) {
    const copy = new Uint8Array(size)
    copy.set(source)
    return copy
  }
  // Not zeroed first: every byte is written at once.
  const copy = Buffer.allocUnsafeSlow(size).fill(source)
  return new Uint8Array(copy.buffer, copy.byteOffset, size)
}

/** Any character Latin-1 cannot carry. V8 answers at once for a one-byte string, without a scan. */
const beyondLatin1 = /[\u0100-\uffff]/

/** Longest string sent as `tagAscii`. */
const maxAsciiString = 32

/** Strings longer than this go as `tagLatin1` when they can, else by JSON or structured clone. */
const maxCompactString = 4096

/**
 * Upper bound of the bytes `write` needs for `items` (for sizing an area to hold them); Infinity
 * when one is no primitive `write` takes (an object), which no area of any size would hold.
 */
export function compactBytesBound(items: readonly unknown[]): number {
  let bytes = 0
  for (const item of items) {
    switch (typeof item) {
      case 'string':
        bytes += 5 + (item.length > maxCompactString ? item.length : item.length * 3)
        break
      case 'bigint':
        bytes += 5 + item.toString().length
        break
      case 'number':
      case 'boolean':
      case 'undefined':
        bytes += 9
        break
      default: {
        if (item === null) {
          bytes += 1
          break
        }
        const binary = typeof item === 'object' ? binaryOf(item) : undefined
        if (!binary) return Number.POSITIVE_INFINITY
        bytes += binaryHeaderBytes + binary.byteLength
      }
    }
  }
  return bytes
}

export class CompactArea {
  readonly #bytes: RawBuffer
  readonly #view: DataView
  /** The last short string read: a tight loop sends the same task name every time. */
  #lastAscii = ''

  constructor(area: Uint8Array) {
    this.#bytes = Buffer.from(area.buffer, area.byteOffset, area.byteLength) as RawBuffer
    this.#view = new DataView(area.buffer, area.byteOffset, area.byteLength)
  }

  /** Write `items` if every one is a primitive that fits; returns the length, or -1. */
  write(items: readonly unknown[]): number {
    const bytes = this.#bytes
    const view = this.#view
    const end = bytes.length
    let at = 0
    /** Buffers written so far: clone would give two views of one buffer one copy, shared. */
    let buffers: ArrayBuffer[] | undefined
    for (const item of items) {
      if (at + 9 > end) return -1
      switch (typeof item) {
        case 'number':
          if ((item | 0) === item && !Object.is(item, -0)) {
            bytes[at] = tagInt32
            view.setInt32(at + 1, item)
            at += 5
          } else {
            bytes[at] = tagFloat64
            view.setFloat64(at + 1, item)
            at += 9
          }
          break
        case 'string': {
          if (item.length <= maxAsciiString && at + 2 + item.length <= end) {
            let k = 0
            for (; k < item.length; k++) {
              const code = item.charCodeAt(k)
              if (code > 0x7f) break
              bytes[at + 2 + k] = code
            }
            if (k === item.length) {
              bytes[at] = tagAscii
              bytes[at + 1] = k
              at += 2 + k
              break
            }
          }
          if (item.length > maxCompactString) {
            if (at + 5 + item.length > end || beyondLatin1.test(item)) return -1
            bytes[at] = tagLatin1
            view.setUint32(at + 1, item.length)
            bytes.latin1Write(item, at + 5)
            at += 5 + item.length
            break
          }
          if (at + 5 + item.length * 3 > end) return -1
          // UTF-8 cannot carry a lone surrogate (it would come back as U+FFFD): such a string takes
          // the JSON road, whose text escapes it. Only two-byte strings can hold one, and V8
          // answers for one-byte strings without a scan.
          if (!(item as WellFormedCheck).isWellFormed()) return -1
          bytes[at] = tagString
          const written = bytes.utf8Write(item, at + 5)
          view.setUint32(at + 1, written)
          at += 5 + written
          break
        }
        case 'boolean':
          bytes[at++] = item ? tagTrue : tagFalse
          break
        case 'undefined':
          bytes[at++] = tagUndefined
          break
        case 'bigint': {
          const text = item.toString()
          if (at + 5 + text.length > end) return -1
          bytes[at] = tagBigInt
          view.setUint32(at + 1, bytes.latin1Write(text, at + 5))
          at += 5 + text.length
          break
        }
        case 'object': {
          if (item === null) {
            bytes[at++] = tagNull
            break
          }
          const binary = binaryOf(item)
          if (!binary) return -1
          const { buffer, byteLength } = binary
          if (at + binaryHeaderBytes + byteLength > end) return -1
          if (!buffers) buffers = [buffer]
          else if (buffers.includes(buffer)) return -1
          else buffers.push(buffer)
          bytes[at] = tagBinary
          bytes[at + 1] = binary.kind
          view.setUint32(at + 2, byteLength)
          view.setUint32(at + 6, binary.byteOffset)
          view.setUint32(at + 10, binary.length)
          copyInto(bytes, at + binaryHeaderBytes, new Uint8Array(buffer))
          at += binaryHeaderBytes + byteLength
          break
        }
        default:
          return -1
      }
    }
    return at
  }

  read(length: number): unknown[] {
    const bytes = this.#bytes
    const view = this.#view
    const items: unknown[] = []
    let at = 0
    while (at < length) {
      const tag = bytes[at]
      switch (tag) {
        case tagInt32:
          items.push(view.getInt32(at + 1))
          at += 5
          break
        case tagFloat64:
          items.push(view.getFloat64(at + 1))
          at += 9
          break
        case tagString: {
          const size = view.getUint32(at + 1)
          items.push(bytes.utf8Slice(at + 5, at + 5 + size))
          at += 5 + size
          break
        }
        case tagLatin1: {
          const size = view.getUint32(at + 1)
          items.push(bytes.latin1Slice(at + 5, at + 5 + size))
          at += 5 + size
          break
        }
        case tagAscii: {
          const size = bytes[at + 1]!
          items.push(this.#readAscii(at + 2, size))
          at += 2 + size
          break
        }
        case tagBigInt: {
          const size = view.getUint32(at + 1)
          items.push(BigInt(bytes.latin1Slice(at + 5, at + 5 + size)))
          at += 5 + size
          break
        }
        case tagBinary: {
          const size = view.getUint32(at + 2)
          const start = at + binaryHeaderBytes
          const copy = copyOut(bytes.subarray(start, start + size))
          const kind = bytes[at + 1]!
          const byteOffset = view.getUint32(at + 6)
          const length = view.getUint32(at + 10)
          if (kind === 0) items.push(copy.buffer)
          else if (kind === uint8Kind && byteOffset === 0 && length === size) items.push(copy)
          else
            items.push(
              new binaryConstructors[kind]!(copy.buffer as ArrayBuffer, byteOffset, length),
            )
          at = start + size
          break
        }
        default:
          items.push(
            tag === tagTrue ? true : tag === tagFalse ? false : tag === tagNull ? null : undefined,
          )
          at += 1
      }
    }
    return items
  }

  #readAscii(start: number, size: number): string {
    const bytes = this.#bytes
    const last = this.#lastAscii
    if (last.length === size) {
      let same = true
      for (let k = 0; k < size; k++) {
        if (bytes[start + k] !== last.charCodeAt(k)) {
          same = false
          break
        }
      }
      if (same) return last
    }
    let text = ''
    for (let k = 0; k < size; k++) text += String.fromCharCode(bytes[start + k]!)
    this.#lastAscii = text
    return text
  }
}
