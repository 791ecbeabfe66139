import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import type { BodyArea } from '../src/codec.js'
import { type BodyEncoding, encodedCodec, RawBodies } from '../src/raw-body.js'

function withArea(size: number, run: (writer: BodyArea, reader: BodyArea) => void): void {
  const { port1, port2 } = new MessageChannel()
  const area = new Uint8Array(new SharedArrayBuffer(size))
  const inline = new Uint8Array(new SharedArrayBuffer(16))
  try {
    run({ area, inline, bulk: port1 }, { area, inline, bulk: port2 })
  } finally {
    port1.close()
    port2.close()
  }
}

describe('raw bodies', () => {
  it('copy bytes that fit into the area and read them back as a view of it, format untouched', () =>
    withArea(64, (writer, reader) => {
      const written = new RawBodies(writer).write({ format: 7, bytes: Buffer.from('hello') })
      expect(written).toEqual({ format: 7, length: 5, large: false })
      const read = new RawBodies(reader).read(written.format, written.length)
      expect(read.format).toBe(7)
      expect(read.bytes.buffer).toBe(reader.area.buffer)
      expect(Buffer.from(read.bytes).toString()).toBe('hello')
    }))

  it('transfer bytes bigger than the area through the bulk port as one buffer, not a copy', () =>
    withArea(64, (writer, reader) => {
      const bytes = new Uint8Array(new ArrayBuffer(1000)).fill(9)
      const written = new RawBodies(writer).write({ format: 2, bytes })
      expect(written.large).toBe(false)
      // Transferred: the sender's buffer is detached, nothing was cloned.
      expect(bytes.buffer.byteLength).toBe(0)
      const read = new RawBodies(reader).read(written.format, written.length)
      expect(read.format).toBe(2)
      expect(read.bytes.byteLength).toBe(1000)
      expect(read.bytes.every((byte) => byte === 9)).toBe(true)
    }))

  it('copy a large view of a bigger buffer before transferring it, leaving that buffer alone', () =>
    withArea(64, (writer, reader) => {
      const whole = Buffer.alloc(300, 1)
      const written = new RawBodies(writer).write({ format: 1, bytes: whole.subarray(100) })
      expect(whole.byteLength).toBe(300)
      expect(new RawBodies(reader).read(written.format, written.length).bytes.byteLength).toBe(200)
    }))

  it('count a body from 16 KiB on as large, so the writer awaits the answer asleep', () =>
    withArea(64 * 1024, (writer) => {
      const raw = new RawBodies(writer)
      expect(raw.write({ format: 1, bytes: new Uint8Array(16 * 1024 - 1) }).large).toBe(false)
      expect(raw.write({ format: 1, bytes: new Uint8Array(16 * 1024) }).large).toBe(true)
      expect(raw.write({ format: 1, bytes: new Uint8Array(100 * 1024) }).large).toBe(true)
    }))

  it('say so when a body announced on the port is missing', () =>
    withArea(64, (_, reader) => {
      expect(() => new RawBodies(reader).read(0x101, 100)).toThrow(/missing/)
    }))
})

describe('encoded codec', () => {
  it('encodes on write and decodes on read with the backend’s encoding, large or small', () =>
    withArea(64, (writer, reader) => {
      const encoding: BodyEncoding = {
        encode: (value) => ({ format: 1, bytes: Buffer.from(JSON.stringify(value)) }),
        decode: ({ bytes }) => JSON.parse(Buffer.from(bytes).toString()),
      }
      const codec = encodedCodec<unknown, unknown>(encoding)
      const requests = codec.requests(writer)
      const seen = codec.requests(reader)
      for (const value of [{ op: 'call', name: 'inc', args: [1] }, { big: 'x'.repeat(500) }]) {
        const { format, length } = requests.write(value)
        expect(seen.read(format, length)).toEqual(value)
      }
    }))
})
