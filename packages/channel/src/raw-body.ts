import { receiveMessageOnPort } from 'node:worker_threads'
import { largeBinaryBytes, type WrittenBody } from './body-codec.js'
import type { BodyArea, ChannelCodec, MessageCodec } from './codec.js'

/**
 * A body already encoded: `format` is the encoder's own tag (0–255), which the channel carries
 * without reading. A backend whose host only forwards bodies (a relay in front of a child
 * process) moves them as these, never decoding what the far end will decode anyway.
 */
export interface RawBody {
  readonly format: number
  readonly bytes: Uint8Array
}

/** Set in the header's format when the bytes came through the bulk port instead of the area. */
const onPort = 0x100

/** A standalone ArrayBuffer holding exactly `bytes`, to transfer (a copy only when it is not one). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes
  if (
    buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === buffer.byteLength
  )
    return buffer
  // Not `bytes.slice()`: on a Buffer that is a view of the same memory (a pooled slab, say).
  return new Uint8Array(bytes).buffer
}

/**
 * Encoded bodies through one direction's area: copied in when they fit, else transferred (not
 * cloned) through the bulk port as one ArrayBuffer. A body read from the area is a view of it,
 * valid until the next body is written in this direction.
 */
export class RawBodies implements MessageCodec<RawBody> {
  readonly #area: Uint8Array
  readonly #bulk: BodyArea['bulk']

  constructor({ area, bulk }: BodyArea) {
    this.#area = area
    this.#bulk = bulk
  }

  write(body: RawBody): WrittenBody {
    const { format, bytes } = body
    const length = bytes.byteLength
    // Counted as large as binary bodies are (see WrittenBody.large): decoding them is real work.
    const large = length >= largeBinaryBytes
    if (length <= this.#area.byteLength) {
      this.#area.set(bytes)
      return { format, length, large }
    }
    const buffer = ownBuffer(bytes)
    this.#bulk.postMessage(buffer, [buffer])
    return { format: format | onPort, length, large }
  }

  read(format: number, length: number): RawBody {
    if ((format & onPort) === 0) return { format, bytes: this.#area.subarray(0, length) }
    const received = receiveMessageOnPort(this.#bulk)
    if (!received) throw new Error('palitra: a body announced on the bulk port is missing')
    return { format: format & ~onPort, bytes: new Uint8Array(received.message as ArrayBuffer) }
  }
}

/** Bodies as encoded bytes both ways (see RawBody). */
export const rawCodec: ChannelCodec<RawBody, RawBody> = {
  requests: (area) => new RawBodies(area),
  replies: (area) => new RawBodies(area),
}

/** A backend's byte encoding of message bodies, which its far end decodes. */
export interface BodyEncoding {
  /** Throws (a DataCloneError, say) for what cannot be encoded. */
  encode(value: unknown): RawBody
  decode(body: RawBody): unknown
}

class EncodedBodies<T> implements MessageCodec<T> {
  readonly #raw: RawBodies
  readonly #encoding: BodyEncoding

  constructor(area: BodyArea, encoding: BodyEncoding) {
    this.#raw = new RawBodies(area)
    this.#encoding = encoding
  }

  write(body: T): WrittenBody {
    return this.#raw.write(this.#encoding.encode(body))
  }

  read(format: number, length: number): T {
    return this.#encoding.decode(this.#raw.read(format, length)) as T
  }
}

/**
 * The caller's side of a channel whose host forwards raw bodies: values encoded once here, by
 * `encoding`, into bytes the far end reads, and replies decoded from the bytes it wrote.
 */
export function encodedCodec<Request, Response>(
  encoding: BodyEncoding,
): ChannelCodec<Request, Response> {
  return {
    requests: (area) => new EncodedBodies<Request>(area, encoding),
    replies: (area) => new EncodedBodies<Response>(area, encoding),
  }
}
