import { describe, expect, it } from 'vitest'
import { encodeFrame, FrameReader } from '../src/frames.js'

const messages: unknown[] = [
  { id: 1, request: { op: 'call', name: 'inc', args: [1] } },
  { id: 2, ok: true, value: new Map([[1, { deep: new Uint8Array([1, 2, 3]) }]]), stderrBytes: 0 },
  { id: 3, ok: true, value: [undefined, Number.NaN, -0, 10n], stderrBytes: 4 },
  { id: 4, ok: true, value: 'ünï 🎨'.repeat(50_000), stderrBytes: 0 },
  { abort: 5, reason: 'timed out' },
]

describe('frames', () => {
  it('round-trip JSON-safe and structured-clone-only messages, whatever the chunking', () => {
    const stream = Buffer.concat(messages.map(encodeFrame))
    for (const chunkSize of [1, 7, 4096, 65_536, stream.length]) {
      const reader = new FrameReader()
      const received: unknown[] = []
      for (let at = 0; at < stream.length; at += chunkSize)
        received.push(...reader.push(stream.subarray(at, at + chunkSize)))
      expect(received).toEqual(messages)
      expect(Object.is((received[2] as { value: unknown[] }).value[2], -0)).toBe(true)
    }
  })

  it('bring typed arrays back as structuredClone does: same offset, whole buffer, shared views', () => {
    const buffer = new ArrayBuffer(16)
    const views = [new Uint8Array(buffer, 4, 4), new Float64Array(buffer, 8, 1)]
    const [read] = new FrameReader().push(encodeFrame({ views })) as [{ views: typeof views }]
    const expected = structuredClone(views)
    expect(read.views.map((v) => [v.constructor, v.byteOffset, v.byteLength])).toEqual(
      expected.map((v) => [v.constructor, v.byteOffset, v.byteLength]),
    )
    expect(read.views[0]!.buffer).toBe(read.views[1]!.buffer)
    expect(read.views[0]!.buffer.byteLength).toBe(16)
  })

  it('refuse shared memory, which cannot reach another process', () => {
    expect(() => encodeFrame({ value: new Int32Array(new SharedArrayBuffer(8)) })).toThrow(
      /could not be cloned/,
    )
  })

  it('refuses what structured clone refuses, before writing anything', () => {
    expect(() => encodeFrame({ id: 1, ok: true, value: () => 1 })).toThrow(/could not be cloned/)
  })
})
