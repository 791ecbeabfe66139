/**
 * Messages between the relay and its child over one duplex socket, as frames: a small binary
 * header and a body of encoded bytes (see wire-codec.ts). The relay reads only headers: a
 * request's body is the caller's bytes, a reply's body goes back to the caller as it came.
 *
 * Why not Node's IPC channel (`process.send`): its round trip costs well over a bare socket's for
 * the same bytes (see the bench's floor-process subject). Its framing scans for newlines and its
 * 'advanced' mode runs `v8.serialize` for every message.
 */
import type { Socket } from 'node:net'
import type { RawBody } from '@palitra/channel'

/** A call's abort: the body is the AbortNote as JSON, `id` the request it aborts. */
export const formatAbort = 3
/**
 * Relay to child, empty body: answer request `id`, which came by the direct road (see
 * direct-road.ts), here instead. The caller sends the relay the same format to ask for that.
 */
export const formatAdopt = 4
/** Child to relay, empty body: request `id` was already answered on the direct road. */
export const formatAnsweredOnRoad = 5

/** u32 body length, u8 format, u32 request id, f64 stderr bytes (replies; 0 otherwise). */
export const frameHeaderBytes = 17

/** `format`: how `bytes` are encoded (wire-codec.ts), or `formatAbort`. */
export interface Frame extends RawBody {
  /** The request it is, answers or aborts. */
  readonly id: number
  /** A reply: how much the child had written to stderr when it answered. */
  readonly stderrBytes: number
}

/** Up to this size a body is copied behind its header and sent in one write. */
const maxCopiedBody = 64 * 1024

function writeHeader(target: Buffer, frame: Frame): void {
  target.writeUInt32LE(frame.bytes.byteLength, 0)
  target[4] = frame.format
  target.writeUInt32LE(frame.id, 5)
  target.writeDoubleLE(frame.stderrBytes, 9)
}

/**
 * Write `frame` to `socket`. A small body is copied (it may be a view of memory about to be
 * reused, such as the channel's area); a large one is the sender's own buffer, written as it is.
 */
export function sendFrame(socket: Socket, frame: Frame): void {
  const [head, body] = frameParts(frame)
  if (!body) {
    socket.write(head)
    return
  }
  socket.cork()
  socket.write(head)
  socket.write(body)
  socket.uncork()
}

/**
 * `frame` as the bytes to write: one buffer when its body is small enough to copy behind the
 * header, else the header and the body as it is (see sendFrame).
 */
export function frameParts(frame: Frame): [Buffer] | [Buffer, Uint8Array] {
  const length = frame.bytes.byteLength
  if (length <= maxCopiedBody) {
    const bytes = Buffer.allocUnsafe(frameHeaderBytes + length)
    writeHeader(bytes, frame)
    bytes.set(frame.bytes, frameHeaderBytes)
    return [bytes]
  }
  const header = Buffer.allocUnsafe(frameHeaderBytes)
  writeHeader(header, frame)
  return [header, frame.bytes]
}

/**
 * Splits a byte stream back into frames, whatever its chunking. A body that arrives whole in one
 * chunk is a view of that chunk; one split across chunks is assembled straight into one buffer of
 * its exact size (so a large reply can be transferred on as it is).
 */
export class FrameReader {
  /** A header split across chunks, as far as it has come. */
  readonly #header = Buffer.allocUnsafe(frameHeaderBytes)
  #headerFill = 0
  /** The frame whose body is being assembled, and how much of it has arrived. */
  #partial: { format: number; id: number; stderrBytes: number; bytes: Uint8Array } | undefined
  #bodyFill = 0

  /** Every frame completed by `chunk`, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = []
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let at = 0
    while (at < data.length) {
      const partial = this.#partial
      if (partial) {
        const take = Math.min(partial.bytes.byteLength - this.#bodyFill, data.length - at)
        partial.bytes.set(data.subarray(at, at + take), this.#bodyFill)
        this.#bodyFill += take
        at += take
        if (this.#bodyFill === partial.bytes.byteLength) {
          frames.push(partial)
          this.#partial = undefined
        }
        continue
      }
      let header: Buffer
      let headerAt: number
      if (this.#headerFill === 0 && data.length - at >= frameHeaderBytes) {
        header = data
        headerAt = at
        at += frameHeaderBytes
      } else {
        const take = Math.min(frameHeaderBytes - this.#headerFill, data.length - at)
        data.copy(this.#header, this.#headerFill, at, at + take)
        this.#headerFill += take
        at += take
        if (this.#headerFill < frameHeaderBytes) break
        this.#headerFill = 0
        header = this.#header
        headerAt = 0
      }
      const length = header.readUInt32LE(headerAt)
      const format = header[headerAt + 4]!
      const id = header.readUInt32LE(headerAt + 5)
      const stderrBytes = header.readDoubleLE(headerAt + 9)
      if (data.length - at >= length) {
        frames.push({ format, id, stderrBytes, bytes: data.subarray(at, at + length) })
        at += length
      } else {
        this.#partial = { format, id, stderrBytes, bytes: new Uint8Array(new ArrayBuffer(length)) }
        this.#bodyFill = 0
      }
    }
    return frames
  }
}

/** Hand each frame arriving on `socket` to `onFrame`. */
export function readFrames(socket: Socket, onFrame: (frame: Frame) => void): void {
  const reader = new FrameReader()
  // A reset or broken pipe means the other side died; its exit (or 'close') is what reports it,
  // and an unheard 'error' would kill this side first (a relay, before it reaps its child).
  socket.on('error', () => {})
  socket.on('data', (chunk: Buffer) => {
    for (const frame of reader.push(chunk)) onFrame(frame)
  })
}
