/**
 * How values are written as bytes for the child: by the caller for requests, by the child for
 * replies; the relay between them forwards the bytes without reading them (see frames.ts).
 *
 * A small body JSON carries exactly goes as JSON (a few µs cheaper than structured clone); the
 * rest (Maps, typed arrays, `undefined`, errors with odd properties, and anything large: V8 copies
 * a long string's bytes where JSON scans and escapes them) by V8's structured clone, so values
 * arrive as `structuredClone` gives them.
 */
import {
  type BodyEncoding,
  cloneFromBytes,
  cloneToBytes,
  jsonLength,
  type RawBody,
} from '@palitra/channel'

export const formatJson = 1
export const formatV8 = 2

/** Past this many characters of JSON, structured clone is the cheaper road. */
const maxJsonChars = 1024

/** Throws a DataCloneError for what structured clone refuses (shared memory included). */
export function encodeValue(value: unknown): RawBody {
  if (jsonLength(value, maxJsonChars) >= 0) {
    const json = JSON.stringify(value)
    if (json.length <= maxJsonChars) return { format: formatJson, bytes: Buffer.from(json) }
  }
  return { format: formatV8, bytes: cloneToBytes(value) }
}

export function decodeValue({ format, bytes }: RawBody): unknown {
  if (format === formatJson) {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString())
  }
  if (format === formatV8) return cloneFromBytes(bytes)
  throw new Error(`palitra: a body in unknown format ${format}`)
}

/** The subprocess backend's bodies, for the channel's `encodedCodec`. */
export const wireEncoding: BodyEncoding = { encode: encodeValue, decode: decodeValue }
