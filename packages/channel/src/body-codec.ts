import { isProxy } from 'node:util/types'
import { type MessagePort, receiveMessageOnPort, type TransferListItem } from 'node:worker_threads'
import { CompactArea, compactBytesBound, type RawBuffer } from './compact-codec.js'
import {
  formatCompact,
  formatInline,
  formatJson,
  formatLarge,
  formatLargeGrown,
  formatPort,
} from './layout.js'

/**
 * Message bodies take one of four roads, cheapest first. Primitives of a tight loop go as tagged
 * bytes, in the header line beside the sequence number when they fit, else in the area; other
 * values JSON would round-trip exactly go as JSON in the shared buffer (an order of magnitude
 * cheaper than structured clone through `v8.serialize`); the rest (Maps, typed arrays,
 * `undefined` inside objects, large bodies) by structured clone through a port that the receiver
 * drains synchronously.
 */

/** JSON and binary bodies from this size on count as large (see WrittenBody). */
const largeJsonBytes = 16 * 1024
export const largeBinaryBytes = largeJsonBytes

/** Bigger than this is not worth checking for JSON safety: a port message is cheap relative to it. */
const maxJsonNodes = 2_000

/**
 * If JSON carries `value` exactly (`JSON.parse(JSON.stringify(value))` is what `structuredClone`
 * gives: the same keys and numbers, each object reached once), a lower bound of its JSON length;
 * otherwise -1. Gives up past `maxChars`, so a large body is never stringified only to
 * find it does not fit.
 */
export function jsonLength(value: unknown, maxChars = Number.POSITIVE_INFINITY): number {
  return Math.max(measureJson(value, maxChars), -1)
}

/** `jsonLength`, but -2 when it gave up because the value is large (past `maxChars` or nodes). */
function measureJson(value: unknown, maxChars: number): number {
  let budget = maxJsonNodes
  let chars = 0
  // JSON writes an object reached twice (a shared reference, a cycle) as two copies. A body holds
  // few objects: a list scanned in place is cheaper than a Set until it grows.
  const seen: object[] = []
  let seenMany: Set<object> | undefined
  const firstVisit = (target: object): boolean => {
    if (seenMany) return seenMany.size < seenMany.add(target).size
    if (seen.includes(target)) return false
    if (seen.push(target) > 16) seenMany = new Set(seen)
    return true
  }
  let large = false
  const visit = (current: unknown): boolean => {
    if (--budget < 0 || chars > maxChars) {
      large = true
      return false
    }
    switch (typeof current) {
      case 'string':
        chars += current.length + 2
        return true
      case 'boolean':
        chars += 5
        return true
      case 'number':
        chars += 1
        return Number.isFinite(current) && !Object.is(current, -0)
      case 'object': {
        if (current === null) {
          chars += 4
          return true
        }
        chars += 2
        // JSON reads through a Proxy's traps; structured clone refuses it.
        if (!firstVisit(current) || isProxy(current)) return false
        if (Array.isArray(current)) {
          if (Object.getPrototypeOf(current) !== Array.prototype) return false
          for (let i = 0; i < current.length; i++) {
            chars += 1
            if (!(i in current) || !visit(current[i])) return false
          }
          // Every index is there, so any further key is a named property: structured clone keeps
          // it, JSON drops it.
          return Object.keys(current).length === current.length
        }
        if (Object.getPrototypeOf(current) !== Object.prototype) {
          // Not JSON; but a big binary body is as much work to read as a big text one.
          const binary = ArrayBuffer.isView(current) || current instanceof ArrayBuffer
          if (binary && (current as ArrayBuffer).byteLength >= largeBinaryBytes) large = true
          return false
        }
        for (const key in current) {
          chars += key.length + 4
          if (key === '__proto__' || !visit((current as Record<string, unknown>)[key])) return false
        }
        return true
      }
      default:
        return false
    }
  }
  if (visit(value) && chars <= maxChars) return chars
  return large || chars > maxChars ? -2 : -1
}

/** True when `JSON.parse(JSON.stringify(value))` gives what `structuredClone(value)` gives. */
export function isJsonExact(value: unknown): boolean {
  return jsonLength(value) >= 0
}

/** How a kind of message maps to a flat list of primitives, when it can. */
export interface CompactShape<T> {
  toItems(body: T): readonly unknown[] | undefined
  fromItems(items: unknown[]): T
}

export interface WrittenBody {
  readonly format: number
  readonly length: number
  /**
   * A body large enough that reading it is real work for the other side: the writer then waits
   * for the answer asleep, not spinning (on a sibling hyperthread a spin slows that reading down).
   */
  readonly large?: boolean
}

/**
 * The large area's bounds. It is kept for the channel's life once grown, so a body past the
 * largest size goes by structured clone instead of holding that much shared memory.
 */
const minLargeAreaBytes = 256 * 1024
const maxLargeAreaBytes = 4 * 1024 * 1024

/** What the bulk port carries ahead of a `formatLargeGrown` body. */
interface LargeAreaMessage {
  readonly largeArea: SharedArrayBuffer
}

/** Reads and writes one direction's bodies in one area of the shared buffer. */
export class BodyCodec<T> {
  readonly #bytes: RawBuffer
  readonly #compact: CompactArea
  readonly #inline: CompactArea | undefined
  readonly #port: MessagePort
  readonly #shape: CompactShape<T>
  /** Bodies too big for the area (see `formatLarge`): grown by the writer, received by the reader. */
  #large: CompactArea | undefined
  #largeBytes = 0
  /** A grown area that the body it was made for could not use, not yet announced. */
  #spare: { area: CompactArea; buffer: SharedArrayBuffer; bytes: number } | undefined

  /** `inline`: a few bytes beside the sequence number, tried first (see `formatInline`). */
  constructor(area: Uint8Array, port: MessagePort, shape: CompactShape<T>, inline?: Uint8Array) {
    this.#bytes = Buffer.from(area.buffer, area.byteOffset, area.byteLength) as RawBuffer
    this.#compact = new CompactArea(area)
    this.#inline = inline && new CompactArea(inline)
    this.#port = port
    this.#shape = shape
  }

  /** Throws a DataCloneError for what cannot cross (the caller says where, with a code). */
  write(body: T, transfer?: readonly TransferListItem[]): WrittenBody {
    if (!transfer?.length) {
      const items = this.#shape.toItems(body)
      if (items) {
        const inlined = this.#inline ? this.#inline.write(items) : -1
        if (inlined >= 0) return { format: formatInline, length: inlined }
        const length = this.#compact.write(items)
        if (length >= 0) return { format: formatCompact, length }
        const large = this.#writeLarge(items)
        if (large) return large
      }
      const maxChars = this.#bytes.length / 3
      const measured = measureJson(body, maxChars)
      if (measured >= 0) {
        const json = JSON.stringify(body)
        // UTF-8 takes at most 3 bytes per UTF-16 unit: only then is the write sure to fit.
        if (json.length <= maxChars) {
          const length = this.#bytes.utf8Write(json, 0)
          return { format: formatJson, length, large: length >= largeJsonBytes }
        }
      }
      this.#port.postMessage(body)
      return { format: formatPort, length: 0, large: measured !== -1 }
    }
    // Transferred memory is moved, not copied: no work to read.
    this.#port.postMessage(body, transfer as TransferListItem[])
    return { format: formatPort, length: 0 }
  }

  /** Items too big for the area, in the large area (grown to fit first), if they can go there. */
  #writeLarge(items: readonly unknown[]): WrittenBody | undefined {
    const needed = compactBytesBound(items)
    if (needed > maxLargeAreaBytes) return undefined
    if (needed <= this.#largeBytes) {
      const length = this.#large!.write(items)
      return length < 0 ? undefined : { format: formatLarge, length, large: true }
    }
    let spare = this.#spare
    if (!spare || spare.bytes < needed) {
      let bytes = minLargeAreaBytes
      while (bytes < needed) bytes *= 2
      const buffer = new SharedArrayBuffer(bytes)
      spare = { area: new CompactArea(new Uint8Array(buffer)), buffer, bytes }
    }
    const length = spare.area.write(items)
    // Not all of them can go (a long string past Latin-1): the new area stays unannounced, kept
    // for the next body that needs one rather than made again for every such body.
    if (length < 0) {
      this.#spare = spare
      return undefined
    }
    this.#spare = undefined
    this.#large = spare.area
    this.#largeBytes = spare.bytes
    this.#port.postMessage({ largeArea: spare.buffer } satisfies LargeAreaMessage)
    return { format: formatLargeGrown, length, large: true }
  }

  read(format: number, length: number): T {
    if (format === formatInline && this.#inline)
      return this.#shape.fromItems(this.#inline.read(length))
    if (format === formatCompact) return this.#shape.fromItems(this.#compact.read(length))
    if (format === formatLargeGrown) {
      const message = receiveMessageOnPort(this.#port)?.message as LargeAreaMessage | undefined
      if (!message) throw new Error('palitra: a large area announced on the bulk port is missing')
      this.#large = new CompactArea(new Uint8Array(message.largeArea))
    }
    if (format === formatLarge || format === formatLargeGrown)
      return this.#shape.fromItems(this.#large!.read(length))
    if (format === formatJson) return JSON.parse(this.#bytes.utf8Slice(0, length))
    const received = receiveMessageOnPort(this.#port)
    if (!received) throw new Error('palitra: a message announced on the bulk port is missing')
    return received.message as T
  }
}
