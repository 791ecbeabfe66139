/**
 * The tight-loop road: a list of primitives (a call's name and arguments, a primitive result) as
 * tagged bytes: a tenth of what JSON costs, and JSON would be most of a tight-loop round trip.
 */
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
      default:
        if (item !== null) return Number.POSITIVE_INFINITY
        bytes += 1
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
        case 'object':
          if (item !== null) return -1
          bytes[at++] = tagNull
          break
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
