import { deserialize } from 'node:v8'
import { serializeAsStructuredClone } from '@palitra/channel'
import { describe, expect, it } from 'vitest'
import { type Frame, FrameReader, frameHeaderBytes } from '../src/frames.js'
import { decodeValue, encodeValue, formatJson, formatV8 } from '../src/wire-codec.js'

/** A frame as sendFrame writes it. */
function frameBytes(frame: Frame): Buffer {
  const bytes = Buffer.alloc(frameHeaderBytes + frame.bytes.byteLength)
  bytes.writeUInt32LE(frame.bytes.byteLength, 0)
  bytes[4] = frame.format
  bytes.writeUInt32LE(frame.id, 5)
  bytes.writeDoubleLE(frame.stderrBytes, 9)
  bytes.set(frame.bytes, frameHeaderBytes)
  return bytes
}

const values: unknown[] = [
  { op: 'call', name: 'inc', args: [1] },
  { ok: true, value: new Map([[1, { deep: new Uint8Array([1, 2, 3]) }]]) },
  { ok: true, value: [undefined, Number.NaN, -0, 10n] },
  { ok: true, value: 'ünï 🎨'.repeat(50_000) },
  { ok: true },
]

const frames: Frame[] = values.map((value, i) => ({
  ...encodeValue(value),
  id: i + 1,
  stderrBytes: i * 2 ** 33,
}))

const readAll = (stream: Buffer, chunkSize: number) => {
  const reader = new FrameReader()
  const read: Frame[] = []
  for (let at = 0; at < stream.length; at += chunkSize)
    read.push(...reader.push(stream.subarray(at, at + chunkSize)))
  return read
}

describe('frames', () => {
  it('split a stream back into frames whatever its chunking, headers and bodies untouched', () => {
    const stream = Buffer.concat(frames.map(frameBytes))
    for (const chunkSize of [1, 7, frameHeaderBytes, 4096, 65_536, stream.length]) {
      const read = readAll(stream, chunkSize)
      expect(read.map(({ format, id, stderrBytes }) => ({ format, id, stderrBytes }))).toEqual(
        frames.map(({ format, id, stderrBytes }) => ({ format, id, stderrBytes })),
      )
      for (const [i, frame] of read.entries()) {
        expect(Buffer.from(frame.bytes).equals(Buffer.from(frames[i]!.bytes))).toBe(true)
        expect(decodeValue(frame)).toEqual(values[i])
      }
    }
  })

  it('read many frames out of one chunk as views of it, without copying', () => {
    const stream = Buffer.concat(frames.slice(0, 3).map(frameBytes))
    const read = new FrameReader().push(stream)
    expect(read).toHaveLength(3)
    for (const frame of read) expect(frame.bytes.buffer).toBe(stream.buffer)
  })

  it('assemble a body split across chunks into one buffer of its exact size', () => {
    const big = frames[3]!
    const read = readAll(frameBytes(big), 1000)
    expect(read).toHaveLength(1)
    const { bytes } = read[0]!
    expect(bytes.byteOffset).toBe(0)
    expect(bytes.buffer.byteLength).toBe(big.bytes.byteLength)
    expect(bytes.buffer).toBeInstanceOf(ArrayBuffer)
  })

  it('carry an empty body', () => {
    const empty: Frame = { format: 3, id: 9, stderrBytes: 0, bytes: new Uint8Array() }
    const read = readAll(Buffer.concat([frameBytes(empty), frameBytes(frames[0]!)]), 5)
    expect(read.map((frame) => [frame.id, frame.bytes.byteLength])).toEqual([
      [9, 0],
      [1, frames[0]!.bytes.byteLength],
    ])
  })
})

describe('wire codec', () => {
  it('writes small JSON-exact bodies as JSON and the rest by structured clone', () => {
    expect(encodeValue({ op: 'call', name: 'inc', args: [1] }).format).toBe(formatJson)
    expect(encodeValue({ ok: true, value: [undefined] }).format).toBe(formatV8)
    expect(encodeValue({ ok: true, value: 'x'.repeat(10_000) }).format).toBe(formatV8)
  })

  it('reads bodies out of shared memory (the channel area)', () => {
    for (const value of values) {
      const { format, bytes } = encodeValue(value)
      const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength + 8), 8)
      shared.set(bytes)
      expect(decodeValue({ format, bytes: shared })).toEqual(value)
    }
  })

  it('brings typed arrays back as structuredClone does: same offset, whole buffer, shared views', () => {
    const buffer = new ArrayBuffer(16)
    const views = [new Uint8Array(buffer, 4, 4), new Float64Array(buffer, 8, 1)]
    const read = decodeValue(encodeValue({ views })) as { views: typeof views }
    const expected = structuredClone(views)
    expect(read.views.map((v) => [v.constructor, v.byteOffset, v.byteLength])).toEqual(
      expected.map((v) => [v.constructor, v.byteOffset, v.byteLength]),
    )
    expect(read.views[0]!.buffer).toBe(read.views[1]!.buffer)
    expect(read.views[0]!.buffer.byteLength).toBe(16)
  })

  it('refuses shared memory, which cannot reach another process', () => {
    expect(() => encodeValue({ value: new Int32Array(new SharedArrayBuffer(8)) })).toThrow(
      /could not be cloned/,
    )
  })

  it('refuses what structured clone refuses', () => {
    expect(() => encodeValue({ ok: true, value: () => 1 })).toThrow(/could not be cloned/)
  })

  it('on Bun’s fallback (`v8.serialize`), brings Buffers back as the Uint8Arrays structured clone gives, and refuses shared memory', () => {
    const value = { a: [Buffer.alloc(3, 7)], m: new Map([[1, Buffer.from('x')]]) }
    const read = deserialize(serializeAsStructuredClone(value)) as typeof value
    expect(read.a[0]!.constructor).toBe(Uint8Array)
    expect(read.m.get(1)!.constructor).toBe(Uint8Array)
    expect([...read.a[0]!]).toEqual([7, 7, 7])
    expect(() => serializeAsStructuredClone({ s: [new SharedArrayBuffer(4)] })).toThrow(
      /cannot be sent to another process/,
    )
  })
})
