import { MessageChannel } from 'node:worker_threads'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BodyCodec, isJsonExact } from '../src/body-codec.js'
import { CompactArea } from '../src/compact-codec.js'
import { filterExecArgv } from '../src/exec-argv.js'
import {
  channelViews,
  createChannelBuffer,
  formatCompact,
  formatInline,
  formatJson,
  formatLarge,
  formatLargeGrown,
  formatPort,
  kRequestSeq,
} from '../src/layout.js'
import { replyShape, requestShape } from '../src/messages.js'

const area = () => new Uint8Array(new SharedArrayBuffer(1024))

describe('compact codec', () => {
  it('round-trips primitives exactly', () => {
    const codec = new CompactArea(area())
    const items = [
      0,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      1.5,
      -0,
      Number.NaN,
      Infinity,
      'ünï 🎨',
      '',
      true,
      false,
      null,
      undefined,
      12345678901234567890n,
      -5n,
    ]
    const length = codec.write(items)
    expect(length).toBeGreaterThan(0)
    const read = codec.read(length)
    expect(read).toEqual(items)
    expect(Object.is(read[6], -0)).toBe(true)
  })

  it('reads a repeated short name back as the same string, and a changed one as itself', () => {
    const codec = new CompactArea(area())
    const readOne = (text: string) => codec.read(codec.write([text, 1]))[0]
    const first = readOne('inc')
    expect(readOne('inc')).toBe(first)
    expect(readOne('inx')).toBe('inx')
    expect(readOne('in')).toBe('in')
    expect(readOne('ïnc')).toBe('ïnc')
    expect(readOne('x'.repeat(33))).toBe('x'.repeat(33))
  })

  it('refuses strings with a lone surrogate, which UTF-8 cannot carry', () => {
    const codec = new CompactArea(area())
    for (const text of ['\uDC00', 'a\uD800', '\uD83D\uD83D', `${'x'.repeat(40)}\uDFFF`])
      expect(codec.write([text])).toBe(-1)
    expect(codec.read(codec.write(['\uD83C\uDFA8 ok']))).toEqual(['\uD83C\uDFA8 ok'])
  })

  it('carries binary data as structured clone does: kind, offset, length, the whole buffer', () => {
    // A pooled Buffer brings its whole slab, as clone does.
    const codec = new CompactArea(new Uint8Array(new SharedArrayBuffer(16 * 1024)))
    const slab = new ArrayBuffer(64)
    new Uint8Array(slab).forEach((_, i, all) => {
      all[i] = i
    })
    const items = [
      new Uint8Array([1, 2, 3]),
      new Float64Array([1.5, -0, Number.NaN]),
      new BigInt64Array([-(2n ** 63n)]),
      new Int16Array(slab, 8, 4),
      new DataView(new ArrayBuffer(16), 3, 5),
      new Uint8ClampedArray([255]),
      new ArrayBuffer(5),
      Buffer.from('pooled'),
    ]
    const read = codec.read(codec.write(items))
    for (const [i, item] of items.entries()) {
      const want = structuredClone(item) as ArrayBufferView | ArrayBuffer
      const got = read[i] as ArrayBufferView | ArrayBuffer
      expect(Object.prototype.toString.call(got)).toBe(Object.prototype.toString.call(want))
      expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want))
      if (ArrayBuffer.isView(want)) {
        const view = got as ArrayBufferView
        expect([view.byteOffset, view.byteLength, view.buffer.byteLength]).toEqual([
          want.byteOffset,
          want.byteLength,
          want.buffer.byteLength,
        ])
        expect(new Uint8Array(view.buffer)).toEqual(new Uint8Array(want.buffer))
        expect(view.buffer).not.toBe((item as ArrayBufferView).buffer)
      } else {
        expect(new Uint8Array(got as ArrayBuffer)).toEqual(new Uint8Array(want))
      }
    }
    expect(Object.is((read[1] as Float64Array)[1], -0)).toBe(true)
  })

  it('gives generated binary arguments exactly as structured clone does, or leaves them to it', () => {
    const codec = new CompactArea(new Uint8Array(new SharedArrayBuffer(64 * 1024)))
    const kinds = [
      DataView,
      Int8Array,
      Uint8Array,
      Uint8ClampedArray,
      Int16Array,
      Uint16Array,
      Int32Array,
      Uint32Array,
      Float32Array,
      Float64Array,
      BigInt64Array,
      BigUint64Array,
    ] as const
    const buffer = fc
      .record({
        bytes: fc.uint8Array({ maxLength: 256 }),
        memory: fc.constantFrom('plain', 'shared', 'resizable'),
      })
      .map(({ bytes, memory }) => {
        const made =
          memory === 'shared'
            ? new SharedArrayBuffer(bytes.length)
            : memory === 'resizable'
              ? new (ArrayBuffer as any)(bytes.length, { maxByteLength: bytes.length + 8 })
              : new ArrayBuffer(bytes.length)
        new Uint8Array(made).set(bytes)
        return made as ArrayBuffer
      })
    const item = fc
      .tuple(buffer, fc.nat(kinds.length), fc.nat(), fc.nat())
      .map(([from, kind, offsetSeed, lengthSeed]) => {
        if (kind === kinds.length) return from
        const View = kinds[kind]!
        const unit =
          View === DataView ? 1 : (View as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
        const slots = Math.floor(from.byteLength / unit)
        const first = offsetSeed % (slots + 1)
        const length = lengthSeed % (slots - first + 1)
        return new (View as any)(from, first * unit, length) as ArrayBufferView
      })
    // Some items share a buffer: clone gives them one copy, which this road must leave to it.
    const items = fc
      .array(item, { minLength: 1, maxLength: 4 })
      .chain((list) =>
        fc
          .array(fc.nat(list.length - 1), { maxLength: 2 })
          .map((repeats) => [...list, ...repeats.map((i) => list[i]!)]),
      )
    const bufferOf = (value: unknown) => (ArrayBuffer.isView(value) ? value.buffer : value)
    fc.assert(
      fc.property(items, (sent) => {
        const length = codec.write(sent)
        if (length < 0) {
          const buffers = sent.map(bufferOf)
          const refusable =
            new Set(buffers).size < buffers.length ||
            buffers.some(
              (b) =>
                b instanceof SharedArrayBuffer ||
                (b as { resizable?: boolean }).resizable === true ||
                (b as ArrayBuffer).byteLength === 0,
            )
          expect(refusable).toBe(true)
          return
        }
        const got = codec.read(length)
        const want = structuredClone(sent) as unknown[]
        expect(got).toHaveLength(want.length)
        for (const [i, expected] of want.entries()) {
          const value = got[i]
          expect(Object.getPrototypeOf(value)).toBe(Object.getPrototypeOf(expected))
          const wantBuffer = bufferOf(expected) as ArrayBuffer
          const gotBuffer = bufferOf(value) as ArrayBuffer
          expect(gotBuffer).not.toBe(bufferOf(sent[i]))
          expect(new Uint8Array(gotBuffer)).toEqual(new Uint8Array(wantBuffer))
          if (ArrayBuffer.isView(expected)) {
            const view = value as ArrayBufferView
            expect([view.byteOffset, view.byteLength]).toEqual([
              expected.byteOffset,
              expected.byteLength,
            ])
          }
        }
      }),
      { numRuns: 1_000 },
    )
  })

  it('reads what a view shows through its internal slots, not its own properties', () => {
    const codec = new CompactArea(area())
    const bytes = new Uint8Array([4, 5, 6])
    Object.defineProperty(bytes, 'length', { value: 99 })
    Object.defineProperty(bytes, 'buffer', { value: new ArrayBuffer(200) })
    const [got] = codec.read(codec.write([bytes])) as [Uint8Array]
    expect(Array.from(got)).toEqual([4, 5, 6])
    expect(got.buffer.byteLength).toBe(3)
  })

  it('leaves to structured clone the binary data it could not carry exactly', () => {
    const codec = new CompactArea(area())
    const buffer = new ArrayBuffer(8)
    const detached = new Uint8Array(8)
    structuredClone(detached.buffer, { transfer: [detached.buffer] })
    for (const items of [
      [new Int32Array(new SharedArrayBuffer(8))],
      [new SharedArrayBuffer(8)],
      [new Uint8Array(new (ArrayBuffer as any)(8, { maxByteLength: 16 }))],
      [detached],
      [new Uint8Array(0)],
      // Two views of one buffer arrive from clone sharing one copy.
      [new Uint8Array(buffer), new Uint16Array(buffer)],
      [buffer, new Uint8Array(buffer, 2)],
      [new Uint8Array(2000)],
    ])
      expect(codec.write(items)).toBe(-1)
  })

  it('refuses objects, symbols and what does not fit', () => {
    const codec = new CompactArea(area())
    expect(codec.write([{}])).toBe(-1)
    expect(codec.write([Symbol('s')])).toBe(-1)
    expect(codec.write(['x'.repeat(1000)])).toBe(-1)
  })
})

describe('body codec', () => {
  it('takes the cheapest road: compact, then JSON, then the port', () => {
    const { port1, port2 } = new MessageChannel()
    try {
      const sender = new BodyCodec(area(), port1, requestShape)
      const shared = area()
      const writer = new BodyCodec(shared, port1, requestShape)
      const reader = new BodyCodec(shared, port2, requestShape)
      const roundTrip = (body: any) => {
        const { format, length } = writer.write(body)
        return { format, body: reader.read(format, length) }
      }
      expect(roundTrip({ op: 'call', name: 'inc', args: [1, 'a'] })).toEqual({
        format: formatCompact,
        body: { op: 'call', name: 'inc', args: [1, 'a'] },
      })
      expect(roundTrip({ op: 'call', name: 'f', args: [{ a: [1] }] })).toEqual({
        format: formatJson,
        body: { op: 'call', name: 'f', args: [{ a: [1] }] },
      })
      const map = new Map([[1, 2]])
      expect(roundTrip({ op: 'call', name: 'f', args: [map] })).toEqual({
        format: formatPort,
        body: { op: 'call', name: 'f', args: [map] },
      })
      expect(() => sender.write({ op: 'call', name: 'f', args: [() => 1] })).toThrow(
        /could not be cloned/,
      )
    } finally {
      port1.close()
      port2.close()
    }
  })

  it('puts a small call beside its sequence number, in the same cache line, and a longer one in the area', () => {
    const { port1 } = new MessageChannel()
    const buffer = createChannelBuffer()
    const views = channelViews(buffer)
    const codec = new BodyCodec(views.request, port1, requestShape, views.requestInline)
    const small = { op: 'call', name: 'inc', args: [41] } as const
    const written = codec.write(small)
    expect(written.format).toBe(formatInline)
    expect(codec.read(written.format, written.length)).toEqual(small)
    // The inline bytes share the 64-byte line that holds the request's sequence number.
    const line = Math.floor((kRequestSeq * 4) / 64)
    expect(Math.floor(views.requestInline.byteOffset / 64)).toBe(line)
    expect(Math.floor((views.requestInline.byteOffset + views.requestInline.length - 1) / 64)).toBe(
      line,
    )
    const longer = { op: 'call', name: 'inc', args: ['x'.repeat(100)] } as const
    const spilled = codec.write(longer)
    expect(spilled.format).toBe(formatCompact)
    expect(codec.read(spilled.format, spilled.length)).toEqual(longer)
    port1.close()
  })

  it('makes no shared memory for a body the compact roads cannot carry at any size', () => {
    const { port1, port2 } = new MessageChannel()
    const codec = new BodyCodec(area(), port1, replyShape)
    const made: number[] = []
    const Original = globalThis.SharedArrayBuffer
    globalThis.SharedArrayBuffer = class extends Original {
      constructor(bytes?: number) {
        super(bytes)
        made.push(bytes ?? 0)
      }
    } as SharedArrayBufferConstructor
    try {
      // An object (JSON's road) and a long string past Latin-1 (which only a port carries).
      for (let i = 0; i < 10; i++) {
        const reply = { ok: true, value: { id: i, tags: ['a', 'b'] } } as const
        const written = codec.write(reply)
        expect(written.format).toBe(formatJson)
        expect(codec.read(written.format, written.length)).toEqual(reply)
        codec.write({ ok: true, value: '\u{1F600}'.repeat(3_000) })
      }
    } finally {
      globalThis.SharedArrayBuffer = Original
      port1.close()
      port2.close()
    }
    // One area was tried for the long string, then kept; none for the objects.
    expect(made).toHaveLength(1)
  })

  it('sends successful primitive replies compactly and keeps undefined', () => {
    const { port1 } = new MessageChannel()
    const shared = area()
    const codec = new BodyCodec(shared, port1, replyShape)
    const { format, length } = codec.write({ ok: true })
    expect(format).toBe(formatCompact)
    expect(codec.read(format, length)).toEqual({ ok: true, value: undefined })
    port1.close()
  })

  it('knows which values JSON carries exactly', () => {
    const shared = { n: 1 }
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(isJsonExact({ a: [1, 'x', null, true, { b: 2.5 }] })).toBe(true)
    for (const value of [
      undefined,
      { a: undefined },
      Number.NaN,
      -0,
      new Date(0),
      new Array(3),
      new Map(),
      1n,
      Object.create(null),
      Object.assign([1, 2], { name: 'x' }),
      { a: shared, b: shared },
      [shared, shared],
      cycle,
      new Proxy({ a: 1 }, {}),
    ]) {
      expect(isJsonExact(value)).toBe(false)
    }
    expect(isJsonExact({ a: 'same', b: 'same', c: [1, 1] })).toBe(true)
    const many = Array.from({ length: 40 }, (_, i) => ({ i }))
    expect(isJsonExact(many)).toBe(true)
    expect(isJsonExact([...many, many[3]])).toBe(false)
  })

  it('sends lone surrogates by JSON, whose text escapes them', () => {
    const { port1 } = new MessageChannel()
    const codec = new BodyCodec(area(), port1, requestShape)
    const body = { op: 'call' as const, name: 'echo', args: ['\uDC00', { s: 'a\uD800' }] }
    const { format, length } = codec.write(body)
    expect(format).toBe(formatJson)
    expect(codec.read(format, length)).toEqual(body)
    port1.close()
  })
})

describe('large bodies', () => {
  /** A writer and a reader over one shared area, as the two ends of a channel are. */
  function ends() {
    const { port1, port2 } = new MessageChannel()
    const views = channelViews(createChannelBuffer())
    const writer = new BodyCodec(views.request, port1, requestShape, views.requestInline)
    const reader = new BodyCodec(views.request, port2, requestShape, views.requestInline)
    const roundTrip = (body: any) => {
      const written = writer.write(body)
      return { ...written, body: reader.read(written.format, written.length) }
    }
    return { roundTrip, close: () => port1.close() }
  }
  const call = (...args: unknown[]) => ({ op: 'call' as const, name: 'echo', args })

  it('sends a long Latin-1 string as one byte a character: in the area, then in a large area grown once', () => {
    const { roundTrip, close } = ends()
    try {
      const latin1 = Array.from({ length: 50_000 }, (_, i) => String.fromCharCode(i % 256)).join('')
      expect(roundTrip(call(latin1))).toEqual({
        format: formatCompact,
        // The name as short ASCII (tag, length, bytes), the string as tag, u32 length, bytes.
        length: 2 + 'echo'.length + 5 + latin1.length,
        large: undefined,
        body: call(latin1),
      })
      const big = 'a\u00ff'.repeat(50 * 1024)
      expect(roundTrip(call(big, 1))).toMatchObject({ format: formatLargeGrown, large: true })
      expect(roundTrip(call(big, 1)).body).toEqual(call(big, 1))
      // The area it grew stays: the next body that fits goes there without a new one.
      expect(roundTrip(call(`${big}!`))).toMatchObject({
        format: formatLarge,
        body: call(`${big}!`),
      })
      const bigger = 'z'.repeat(700 * 1024)
      expect(roundTrip(call(bigger))).toMatchObject({
        format: formatLargeGrown,
        body: call(bigger),
      })
    } finally {
      close()
    }
  })

  it('sends a long string past Latin-1 by structured clone, in order with large-area bodies', () => {
    const { roundTrip, close } = ends()
    try {
      const wide = `${'x'.repeat(100_000)}\u20ac\uD800`
      const first = roundTrip(call(wide))
      expect(first).toMatchObject({ format: formatPort, large: true, body: call(wide) })
      const big = 'y'.repeat(300_000)
      expect(roundTrip(call(big))).toMatchObject({ format: formatLargeGrown, body: call(big) })
      // A failed try at a new large area announces nothing: the port still carries the next body.
      expect(roundTrip(call('w'.repeat(600_000), wide))).toMatchObject({
        format: formatPort,
        body: call('w'.repeat(600_000), wide),
      })
      expect(roundTrip(call(big))).toMatchObject({ format: formatLarge, body: call(big) })
    } finally {
      close()
    }
  })

  it('gives back exactly the strings it was given, whichever road each took (generated)', () => {
    const { roundTrip, close } = ends()
    try {
      const codeUnit = (max: number) =>
        fc.integer({ min: 0, max }).map((c) => String.fromCharCode(c))
      const latin1Pattern = fc.string({ unit: codeUnit(0xff), minLength: 1, maxLength: 12 })
      const anyPattern = fc.string({ unit: codeUnit(0xffff), minLength: 1, maxLength: 12 })
      // A random pattern repeated to a random length: every alphabet (lone surrogates too) and
      // every size around the area's and the large area's bounds, without generating MBs.
      const text = fc
        .tuple(fc.oneof(latin1Pattern, anyPattern), fc.nat(700_000))
        .map(([pattern, length]) =>
          pattern.repeat(Math.ceil((length + 1) / pattern.length)).slice(0, length + 1),
        )
      fc.assert(
        fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (texts) => {
          for (const value of texts)
            expect(roundTrip(call(value, ...texts)).body).toEqual(call(value, ...texts))
        }),
        { numRuns: 60 },
      )
    } finally {
      close()
    }
  })

  it('holds no more than a few MB of shared memory: a bigger body goes by structured clone', () => {
    const { roundTrip, close } = ends()
    try {
      const huge = 'h'.repeat(8 * 1024 * 1024)
      expect(roundTrip(call(huge))).toMatchObject({ format: formatPort, large: true })
    } finally {
      close()
    }
  })

  it('marks big binary bodies large, and small ones, by port or in the area, and transfers not', () => {
    const { port1 } = new MessageChannel()
    try {
      const codec = new BodyCodec(area(), port1, requestShape)
      expect(codec.write(call(new Map([[1, 2]]))).large).toBe(false)
      expect(codec.write(call(new Uint8Array(100)))).toEqual({ format: formatCompact, length: 120 })
      expect(codec.write(call({ bytes: new Uint8Array(1 << 20) })).large).toBe(true)
      const buffer = new ArrayBuffer(1 << 20)
      expect(codec.write(call(buffer), [buffer]).large).toBeUndefined()
    } finally {
      port1.close()
    }
  })
})

describe('filterExecArgv', () => {
  it('drops flags that stop a worker starting and keeps the rest', () => {
    expect(
      filterExecArgv([
        '--input-type=module',
        '-e',
        'code',
        '--conditions=dev',
        '--eval',
        'x',
        '--import',
        'tsx',
        '--test',
        '--expose-gc',
      ]),
    ).toEqual(['--conditions=dev', '--import', 'tsx', '--expose-gc'])
  })
})
