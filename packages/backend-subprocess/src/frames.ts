/**
 * Messages between the relay and its child over one duplex socket, as length-prefixed frames.
 *
 * Why not Node's IPC channel (`process.send`): its round trip costs well over a bare socket's for
 * the same bytes (see the bench's floor-process subject). Its
 * framing scans for newlines and its 'advanced' mode runs `v8.serialize` for every message. Here a
 * message JSON carries exactly goes as JSON; anything else (Maps, typed arrays, `undefined`,
 * errors with odd properties) by V8's structured clone, so values arrive as `structuredClone`
 * gives them.
 */
import type { Socket } from 'node:net'
import { Deserializer, deserialize, Serializer, serialize } from 'node:v8'
import { isJsonExact } from '@palitra/channel'

/**
 * V8's own structured clone, as `structuredClone` and `postMessage` run it. Not `v8.serialize`:
 * its serializer writes each typed array as a bare copy of its bytes, so a view comes back as a
 * view into the frame it arrived in, apart from the rest of its buffer and from other views of
 * that buffer. A SharedArrayBuffer is refused (a DataCloneError): its memory cannot be shared with
 * another process.
 */
function structuredToBytes(message: unknown): Buffer {
  const serializer = new Serializer()
  serializer.writeHeader()
  serializer.writeValue(message)
  return serializer.releaseBuffer()
}

function structuredFromBytes(bytes: Uint8Array): unknown {
  const deserializer = new Deserializer(bytes)
  deserializer.readHeader()
  return deserializer.readValue()
}

/** Bun has `v8.serialize` (its own structured clone) but not the `Serializer` class. */
function hasSerializerClass(): boolean {
  try {
    new Serializer().releaseBuffer()
    return true
  } catch {
    return false
  }
}

/** Whether `value` holds shared memory anywhere (which Bun's `v8.serialize` copies silently). */
function holdsSharedMemory(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false
  seen.add(value)
  if (value instanceof SharedArrayBuffer) return true
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer
  const inner =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set
        ? [...value]
        : Object.values(value)
  return inner.some((item) => holdsSharedMemory(item, seen))
}

/** `v8.serialize`, refusing shared memory as structured clone across processes must. */
function serializeRefusingShared(message: unknown): Buffer {
  if (holdsSharedMemory(message)) {
    throw new DOMException(
      'a SharedArrayBuffer cannot be sent to another process',
      'DataCloneError',
    )
  }
  return serialize(message)
}

const [cloneToBytes, cloneFromBytes]: [
  (message: unknown) => Buffer,
  (bytes: Uint8Array) => unknown,
] = hasSerializerClass()
  ? [structuredToBytes, structuredFromBytes]
  : [serializeRefusingShared, deserialize]

const formatJson = 1
const formatV8 = 2
/** u32 body length, u8 format. */
const headerBytes = 5

export interface FramedSocket<Out> {
  /** Throws a DataCloneError for a message that cannot be cloned (nothing is written then). */
  send(message: Out): void
}

export function encodeFrame(message: unknown): Buffer {
  if (isJsonExact(message)) {
    const json = JSON.stringify(message)
    const frame = Buffer.allocUnsafe(headerBytes + Buffer.byteLength(json))
    const length = frame.write(json, headerBytes, 'utf8')
    frame.writeUInt32LE(length, 0)
    frame[4] = formatJson
    return frame
  }
  const body = cloneToBytes(message)
  const frame = Buffer.allocUnsafe(headerBytes + body.length)
  frame.writeUInt32LE(body.length, 0)
  frame[4] = formatV8
  body.copy(frame, headerBytes)
  return frame
}

/** Splits a byte stream back into messages, whatever its chunking. */
export class FrameReader {
  #chunks: Buffer[] = []
  #bytes = 0
  /** Bytes the next frame needs before it can be read (a large one arrives in many chunks). */
  #needed = headerBytes

  /** Every complete message in what has arrived so far, in order. */
  push(chunk: Buffer): unknown[] {
    this.#chunks.push(chunk)
    this.#bytes += chunk.length
    if (this.#bytes < this.#needed) return []
    const data = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#bytes)
    const messages: unknown[] = []
    let at = 0
    while (data.length - at >= headerBytes) {
      const end = at + headerBytes + data.readUInt32LE(at)
      if (end > data.length) break
      const body = data.subarray(at + headerBytes, end)
      messages.push(
        data[at + 4] === formatJson ? JSON.parse(body.toString('utf8')) : cloneFromBytes(body),
      )
      at = end
    }
    const rest = data.subarray(at)
    this.#chunks = rest.length > 0 ? [rest] : []
    this.#bytes = rest.length
    this.#needed = rest.length >= headerBytes ? headerBytes + rest.readUInt32LE(0) : headerBytes
    return messages
  }
}

/** Frame messages onto `socket` and hand each incoming one to `onMessage`. */
export function frameSocket<In, Out>(
  socket: Socket,
  onMessage: (message: In) => void,
): FramedSocket<Out> {
  const reader = new FrameReader()
  // A reset or broken pipe means the other side died; its exit (or 'close') is what reports it,
  // and an unheard 'error' would kill this side first (a relay, before it reaps its child).
  socket.on('error', () => {})
  socket.on('data', (chunk: Buffer) => {
    for (const message of reader.push(chunk)) onMessage(message as In)
  })
  return { send: (message) => void socket.write(encodeFrame(message)) }
}
