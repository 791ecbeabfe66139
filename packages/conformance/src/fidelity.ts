import { type Backend, createRunner } from '@palitra/core'
import fc from 'fast-check'
import { cloneMismatch } from './clone-mismatch.js'
import type { ConformanceApi } from './context.js'
import { conformanceTasks } from './fixtures.js'
import { caught, inMacrotask } from './helpers.js'

interface FidelityTasks {
  inc(n: number): Promise<number>
  bump(): Promise<number>
  echo<T>(value: T): Promise<T>
  echoAll(...args: unknown[]): Promise<unknown[]>
  throwValue(value: unknown): Promise<never>
  yieldEach(values: unknown[]): AsyncGenerator<unknown>
  throwError(kind: string): Promise<never>
  withUncloneable(value: unknown, path: (string | number)[], poison: Poison): Promise<unknown>
}

/** Values generated per backend; `PALITRA_FUZZ_RUNS` changes it, `PALITRA_FUZZ_SEED` replays a run. */
const defaultRuns = 2_000
const uncloneableRuns = 200
const firstCallRuns = 40

function fuzzSettings(): { seed: number; numRuns: number } {
  const seed = Number(process.env.PALITRA_FUZZ_SEED ?? Date.now() ^ (Math.random() * 2 ** 31))
  const numRuns = Number(process.env.PALITRA_FUZZ_RUNS ?? defaultRuns)
  return { seed: seed | 0, numRuns }
}

// ------------------------------------------------------------------ generated values
// The arbitraries describe a value; `build` makes it afresh for every run, so that wiring shared
// references and cycles into it never mutates what fast-check keeps for shrinking.

type Spec =
  | { readonly t: 'primitive'; readonly value: unknown }
  | { readonly t: 'array'; readonly items: Spec[]; readonly props: [string, Spec][] }
  | { readonly t: 'sparse'; readonly items: Spec[] }
  | { readonly t: 'object'; readonly entries: [string, Spec][]; readonly nullProto: boolean }
  | { readonly t: 'instance'; readonly entries: [string, Spec][] }
  | { readonly t: 'map'; readonly entries: [Spec, Spec][] }
  | { readonly t: 'set'; readonly items: Spec[] }
  | { readonly t: 'date'; readonly time: number }
  | {
      readonly t: 'regexp'
      readonly source: string
      readonly flags: string
      readonly lastIndex: number
    }
  | {
      readonly t: 'error'
      readonly kind: number
      readonly message: string
      readonly cause?: Spec
      /** Own properties (structured clone keeps `name` of a built-in's, drops the rest). */
      readonly props: [string, Spec][]
    }
  | { readonly t: 'boxed'; readonly value: number | string | boolean | bigint }
  | {
      readonly t: 'bytes'
      readonly bytes: Uint8Array
      readonly shared: boolean
      readonly resizable: boolean
      readonly views: [number, number, number][]
      readonly form: number
    }

interface Root {
  readonly spec: Spec
  /** [from, to, key]: container `from` gets a reference to container `to` (a cycle when it is its ancestor). */
  readonly links: [number, number, string][]
}

/** A subclass: structured clone makes it the built-in it extends. */
class TaskFailure extends RangeError {}

const errorClasses = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  TaskFailure,
]
const viewClasses = [
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
  DataView,
] as const

class Point {
  constructor(entries: [string, unknown][]) {
    for (const [key, value] of entries) define(this, key, value)
  }
  norm(): number {
    return 0
  }
}

function define(target: object, key: string, value: unknown): void {
  // Not `target[key] = value`: a `__proto__` key must stay an own property.
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

function arbitraries(options: { sharedMemory: boolean }) {
  const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
  const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.oneof(codeUnit, surrogate, fc.constant('a')) }),
    // Past the compact road's limit: the JSON and port roads.
    fc.string({ unit: fc.oneof(fc.constant('x'), surrogate), minLength: 4_100, maxLength: 4_200 }),
  )
  const key = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
    text.filter((k) => k.length < 20),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'length', '0', '7', '-0', '1e3'),
  )
  const namedKey = key.filter((k) => !/^(?:0|[1-9]\d*)$/.test(k) && k !== 'length')
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(-0, 0, Number.NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31), 2 ** 53),
  )
  const primitive: fc.Arbitrary<Spec> = fc
    .oneof(text, number, fc.bigInt(), fc.boolean(), fc.constant(null), fc.constant(undefined))
    .map((value) => ({ t: 'primitive', value }))
  const bytes: fc.Arbitrary<Spec> = fc
    .record({
      bytes: fc.uint8Array({ maxLength: 48 }),
      shared: options.sharedMemory ? fc.boolean() : fc.constant(false),
      resizable: fc.boolean(),
      views: fc.array(fc.tuple(fc.nat(viewClasses.length - 1), fc.nat(), fc.nat()), {
        maxLength: 3,
      }),
      form: fc.nat(2),
    })
    .map((fields) => ({ t: 'bytes', ...fields }))

  const jsonPrimitive: fc.Arbitrary<Spec> = fc
    .oneof(
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    )
    .map((value) => ({ t: 'primitive', value }))
  const { value, json } = fc.letrec<{ value: Spec; json: Spec }>((tie) => {
    const child = tie('value')
    const few = { maxLength: 4 }
    return {
      // What the JSON road carries, so that what it must refuse (a shared reference, a named
      // property on an array, -0) comes up inside values it would otherwise take.
      json: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { arbitrary: jsonPrimitive, weight: 3 },
        fc
          .record({
            items: fc.array(tie('json'), few),
            props: fc.oneof(
              { arbitrary: fc.constant<[string, Spec][]>([]), weight: 4 },
              fc.array(fc.tuple(namedKey, tie('json')), { maxLength: 2 }),
            ),
          })
          .map((r) => ({ t: 'array' as const, ...r })),
        fc
          .record({
            entries: fc.array(fc.tuple(key, tie('json')), few),
            nullProto: fc.constant(false),
          })
          .map((r) => ({ t: 'object' as const, ...r })),
      ),
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { arbitrary: primitive, weight: 6 },
        { arbitrary: bytes, weight: 1 },
        fc
          .record({
            items: fc.array(child, few),
            props: fc.array(fc.tuple(namedKey, child), { maxLength: 2 }),
          })
          .map((r) => ({ t: 'array' as const, ...r })),
        fc.sparseArray(child, { maxLength: 8 }).map((items) => ({ t: 'sparse' as const, items })),
        fc
          .record({ entries: fc.array(fc.tuple(key, child), few), nullProto: fc.boolean() })
          .map((r) => ({ t: 'object' as const, ...r })),
        fc
          .array(fc.tuple(namedKey, child), few)
          .map((entries) => ({ t: 'instance' as const, entries })),
        fc.array(fc.tuple(child, child), few).map((entries) => ({ t: 'map' as const, entries })),
        fc.array(child, few).map((items) => ({ t: 'set' as const, items })),
        fc.date({ noInvalidDate: false }).map((d) => ({ t: 'date' as const, time: d.getTime() })),
        fc
          .record({
            source: fc.constantFrom('', 'a+b', '^x$', '(?<name>\\d+)', '[\\s\\S]', '\\u{1F3A8}'),
            flags: fc.subarray(['d', 'g', 'i', 'm', 's', 'u', 'y']).map((f) => f.join('')),
            lastIndex: fc.nat(9),
          })
          .map((r) => ({ t: 'regexp' as const, ...r })),
        fc
          .record(
            {
              kind: fc.nat(errorClasses.length - 1),
              message: text,
              cause: fc.option(child, { nil: undefined }),
              props: fc.array(
                fc.tuple(fc.constantFrom('name', 'code', 'detail'), fc.oneof(primitive, child)),
                { maxLength: 2 },
              ),
            },
            { requiredKeys: ['kind', 'message', 'props'] },
          )
          .map((r) => ({ t: 'error' as const, ...r })),
        fc
          .oneof(number, text, fc.boolean(), fc.bigInt())
          .map((boxed) => ({ t: 'boxed' as const, value: boxed })),
      ),
    }
  })
  const root: fc.Arbitrary<Root> = fc.record({
    spec: fc.oneof(value, json),
    links: fc.array(fc.tuple(fc.nat(), fc.nat(), namedKey), { maxLength: 3 }),
  })
  return { root }
}

/** Make the value a root describes; containers are listed so links can point at them. */
function build(root: Root): unknown {
  const containers: object[] = []
  const make = (spec: Spec): unknown => {
    switch (spec.t) {
      case 'primitive':
        return spec.value
      case 'array': {
        const array = spec.items.map(make)
        containers.push(array)
        for (const [key, item] of spec.props) define(array, key, make(item))
        return array
      }
      case 'sparse': {
        const array: unknown[] = new Array(spec.items.length)
        containers.push(array)
        for (const index of Object.keys(spec.items))
          array[Number(index)] = make(spec.items[Number(index)]!)
        return array
      }
      case 'object':
      case 'instance': {
        const entries = spec.entries.map(([key, item]) => [key, make(item)] as [string, unknown])
        const target =
          spec.t === 'instance' ? new Point(entries) : spec.nullProto ? Object.create(null) : {}
        if (spec.t === 'object') for (const [key, item] of entries) define(target, key, item)
        containers.push(target)
        return target
      }
      case 'map': {
        const map = new Map(spec.entries.map(([k, v]) => [make(k), make(v)]))
        containers.push(map)
        return map
      }
      case 'set': {
        const set = new Set(spec.items.map(make))
        containers.push(set)
        return set
      }
      case 'date':
        return new Date(spec.time)
      case 'regexp': {
        const flags =
          spec.source.includes('\\u{') && !spec.flags.includes('u') ? `${spec.flags}u` : spec.flags
        const re = new RegExp(spec.source, flags)
        re.lastIndex = spec.lastIndex
        return re
      }
      case 'error': {
        const ErrorClass = errorClasses[spec.kind]!
        const error =
          spec.cause === undefined
            ? new ErrorClass(spec.message)
            : new ErrorClass(spec.message, { cause: make(spec.cause) })
        for (const [key, item] of spec.props) define(error, key, make(item))
        return error
      }
      case 'boxed':
        return Object(spec.value)
      case 'bytes':
        return makeBytes(spec)
    }
  }
  const value = make(root.spec)
  if (containers.length > 0) {
    for (const [from, to, key] of root.links) {
      const source = containers[from % containers.length]!
      const target = containers[to % containers.length]!
      if (source instanceof Map) source.set(key, target)
      else if (source instanceof Set) source.add(target)
      else if (Array.isArray(source)) source.push(target)
      else define(source, key, target)
    }
  }
  return value
}

function makeBytes(spec: Extract<Spec, { t: 'bytes' }>): unknown {
  const size = spec.bytes.length
  const buffer: ArrayBuffer | SharedArrayBuffer = spec.shared
    ? new SharedArrayBuffer(size)
    : spec.resizable
      ? new (ArrayBuffer as any)(size, { maxByteLength: size + 16 })
      : new ArrayBuffer(size)
  new Uint8Array(buffer).set(spec.bytes)
  const views = spec.views.map(([kind, offsetSeed, lengthSeed]) => {
    const View = viewClasses[kind]!
    const unit = View === DataView ? 1 : (View as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
    const slots = Math.floor(size / unit)
    const first = slots === 0 ? 0 : offsetSeed % (slots + 1)
    const length = slots - first === 0 ? 0 : lengthSeed % (slots - first + 1)
    return View === DataView
      ? new DataView(buffer, first, length)
      : new (View as Uint8ArrayConstructor)(buffer as ArrayBuffer, first * unit, length)
  })
  if (spec.form === 0 || views.length === 0) return views.length === 0 ? buffer : [buffer, ...views]
  return spec.form === 1 ? views[0] : views
}

// ------------------------------------------------------------------ uncloneable values

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value)
    return true
  } catch {
    return false
  }
}

type Poison = 'function' | 'symbol' | 'weakMap' | 'proxy' | 'instance'
const poisons: Record<Poison, () => unknown> = {
  function: () => function callback() {},
  symbol: () => Symbol('s'),
  weakMap: () => new WeakMap(),
  proxy: () => new Proxy({}, {}),
  instance: () =>
    new (class Widget {
      onClick = () => 1
    })(),
}

interface Carrier {
  readonly value: unknown
  /** Where the poison goes, and how findUncloneable writes that place. */
  readonly path: (string | number)[]
  readonly where: string
  readonly poison: Poison
}

/** Plain objects and arrays with one place for something that cannot be cloned. */
function carriers(): fc.Arbitrary<Carrier> {
  const identifier = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/)
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(identifier, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
    ),
  }))
  return fc
    .record({
      tree: fc.dictionary(identifier, tree, { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
      pick: fc.nat(),
      key: identifier,
      poison: fc.constantFrom<Poison>('function', 'symbol', 'weakMap', 'proxy', 'instance'),
    })
    .map(({ tree: value, pick, key, poison }) => {
      const places: { path: (string | number)[]; where: string; container: unknown }[] = []
      const walk = (node: unknown, path: (string | number)[], where: string) => {
        if (typeof node !== 'object' || node === null) return
        places.push({ path, where, container: node })
        if (Array.isArray(node)) {
          for (const [i, item] of node.entries()) walk(item, [...path, i], `${where}[${i}]`)
        } else
          for (const [k, item] of Object.entries(node)) walk(item, [...path, k], `${where}.${k}`)
      }
      walk(value, [], '')
      const place = places[pick % places.length]!
      const slot = Array.isArray(place.container) ? place.container.length : key
      const where = Array.isArray(place.container)
        ? `${place.where}[${slot}]`
        : `${place.where}.${slot}`
      return {
        value,
        path: [...place.path, slot],
        where: poison === 'instance' ? `${where}.onClick` : where,
        poison,
      }
    })
}

function poisoned(carrier: Carrier): unknown {
  const value = structuredClone(carrier.value)
  let target = value as Record<string | number, unknown>
  for (const key of carrier.path.slice(0, -1))
    target = target[key] as Record<string | number, unknown>
  target[carrier.path.at(-1)!] = poisons[carrier.poison]()
  return value
}

// ------------------------------------------------------------------ the suite

/**
 * Values come back as `structuredClone` gives them (serializing backends) or as themselves
 * (in-process ones): fixed cases for the breaks found so far, then thousands of generated values.
 */
export function fidelitySuite(api: ConformanceApi, backend: () => Backend): void {
  const { describe, it, expect } = api
  const caps = backend().capabilities
  const sharedMemory = caps.isolation !== 'process'
  const open = () => createRunner<FidelityTasks>(conformanceTasks, { backend: backend() })
  const test = (name: string, body: () => void, timeout?: number) =>
    it(name, () => inMacrotask(body), timeout)
  const testIf = (condition: boolean, name: string, body: () => void) =>
    it.skipIf(!condition)(name, () => inMacrotask(body))
  /** What a value must come back as: a clone of it, or (in-process) the value itself. */
  const expectSame = (sent: unknown, got: unknown) => {
    if (!caps.serializes) expect(got).toBe(sent)
    else expect(cloneMismatch(structuredClone(sent), got)).toBeUndefined()
  }
  /** `echoAll(...sent)`: the arguments, each as `expectSame` has it, in a new array. */
  const expectSameArgs = (sent: unknown[], got: unknown) => {
    if (caps.serializes) expectSame(sent, got)
    else for (const [i, value] of sent.entries()) expect((got as unknown[])[i]).toBe(value)
  }

  describe('fidelity: a value comes back as structuredClone gives it', () => {
    test('strings with lone surrogates, whole and inside bodies of every size', () => {
      using runner = open()
      for (const text of [
        '\uDC00',
        'a\uD800',
        '\uD83D\uD83D',
        'ok \uDFFF ok',
        '\uDC00'.repeat(5_000),
      ]) {
        for (const value of [text, { text }, [text, new Map([[text, text]])]])
          expectSame(value, runner.call('echo', value))
      }
    })

    test('long strings of every size and alphabet, as arguments and results, one after another', () => {
      using runner = open()
      const latin1 = (length: number) =>
        Array.from({ length }, (_, i) => String.fromCharCode((i * 7) % 256)).join('')
      const texts = [
        latin1(4_097),
        latin1(70_000),
        `${latin1(300_000)}\u20ac`,
        latin1(300_000),
        '\uD83C\uDFA8'.repeat(40_000),
        latin1(1_200_000),
        latin1(70_000),
      ]
      for (const text of texts) {
        for (const value of [text, [text, 1, text]]) expectSame(value, runner.call('echo', value))
      }
    })

    test('arrays keep their named properties, holes and -0', () => {
      using runner = open()
      const named = Object.assign([1, 2], { name: 'x' })
      const holey = [1, 2, 3]
      delete holey[1]
      for (const value of [named, { list: named }, holey, [-0], Object.assign([], { k: 1 })])
        expectSame(value, runner.call('echo', value))
    })

    test('an object reached twice comes back as one object, a cycle as a cycle', () => {
      using runner = open()
      const shared = { x: 1 }
      const cycle: Record<string, unknown> = { name: 'loop' }
      cycle.self = cycle
      for (const value of [{ a: shared, b: shared }, [shared, [shared]], cycle, [cycle, cycle]])
        expectSame(value, runner.call('echo', value))
    })

    test('arguments share references with each other, and iterators yield values as sent', () => {
      using runner = open()
      const shared = { x: 1 }
      const args = [shared, [shared], '\uDC00', Object.assign([1], { k: 2 })]
      const echoed = runner.call('echoAll', ...args)
      // In-process, the rest parameter is a new array of the very same values.
      if (caps.serializes) expectSame(args, echoed)
      else for (const [i, value] of args.entries()) expectSame(value, echoed[i])
      const yielded = [...runner.iterate('yieldEach', args)]
      for (const [i, value] of args.entries()) expectSame(value, yielded[i])
    })

    test("values that look like palitra's own markers come back as themselves", () => {
      using runner = open()
      const handleLike = { __palitraIterator: 1, data: 'mine' }
      const errorLike = { __palitraError: 1, base: 'TypeError', name: 'x', message: 'y', props: {} }
      for (const value of [handleLike, errorLike, [handleLike]])
        expectSame(value, runner.call('echo', value))
      for (const value of [
        errorLike,
        { wrapped: errorLike },
        '\uDC00',
        Object.assign([1], { k: 2 }),
      ])
        expectSame(
          value,
          caught(() => runner.call('throwValue', value)),
        )
      expect(runner.call('inc', 1)).toBe(2)
    })

    test('typed arrays keep their offset, their whole buffer and the views sharing it', () => {
      using runner = open()
      const buffer = new ArrayBuffer(16)
      new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
      const views = [
        new Uint8Array(buffer, 4, 4),
        new Uint16Array(buffer, 8, 2),
        new DataView(buffer, 2, 4),
      ]
      for (const value of [views[0], views[2], views, [buffer, ...views], Buffer.alloc(3, 7)]) {
        const got = runner.call('echo', value)
        expectSame(value, got)
        if (caps.serializes && ArrayBuffer.isView(got)) expect(got.buffer).not.toBe(buffer)
      }
      // As arguments of their own, each a call's top-level value, they still share one buffer.
      const got = runner.call('echoAll', ...views) as ArrayBufferView[]
      expectSameArgs(views, got)
      expect(got[1]!.buffer).toBe(got[0]!.buffer)
      expect(got[2]!.buffer).toBe(got[0]!.buffer)
      const apart = [new Uint8Array([1, 2]), new Float32Array([0.5]), buffer, Buffer.from('abc')]
      expectSameArgs(apart, runner.call('echoAll', ...apart))
    })

    test('a non-cloneable Proxy is refused even where JSON could read it', () => {
      using runner = open()
      const proxy = new Proxy({ a: 1 }, {})
      if (!caps.serializes) {
        expect(runner.call('echo', proxy)).toBe(proxy)
        return
      }
      const error = caught(() => runner.call('echo', { inner: proxy }))
      expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
      expect(error.message).toContain('args[0].inner is a Proxy')
      expect(runner.call('inc', 1)).toBe(2)
    })

    testIf(
      caps.serializes,
      'a value whose reading throws is ERR_PALITRA_SERIALIZE with that error as its cause',
      () => {
        using runner = open()
        const trap = new Error('unnamed')
        Object.defineProperty(trap, 'name', { value: Object.create(null), enumerable: true })
        const getter = {
          get boom(): never {
            throw new RangeError('read me not')
          },
        }
        for (const value of [trap, { getter }]) {
          const error = caught(() => runner.call('echo', value))
          expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
          expect(error.cause).toBeInstanceOf(Error)
        }
        expect(caught(() => runner.call('echo', { getter })).cause.message).toBe('read me not')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    testIf(caps.serializes && sharedMemory, 'a SharedArrayBuffer stays shared memory', () => {
      using runner = open()
      const view = new Int32Array(new SharedArrayBuffer(8))
      view[1] = 7
      expectSame(view, runner.call('echo', view))
    })

    testIf(
      !sharedMemory,
      'shared memory sent to another process is ERR_PALITRA_SERIALIZE naming where',
      () => {
        using runner = open()
        const error = caught(() =>
          runner.call('echo', { data: new Int32Array(new SharedArrayBuffer(8)) }),
        )
        expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(error.message).toContain('args[0].data is a view of a SharedArrayBuffer')
        expect(runner.call('inc', 1)).toBe(2)
      },
    )

    test("a task error keeps its own properties' enumerability (Object.keys, spread, JSON)", () => {
      using runner = open()
      const error = caught(() => runner.call('throwError', 'enumerable'))
      expect(error).toBeInstanceOf(Error)
      expect(Object.keys(error)).toEqual(['name', 'errors', 'warnings', 'cause'])
      expect({ ...error }).toEqual({
        name: 'BuildError',
        errors: [{ text: 'Unexpected "}"', location: { line: 3 } }],
        warnings: [],
        cause: { reason: 'syntax' },
      })
      expect(JSON.parse(JSON.stringify(error)).errors).toHaveLength(1)
      expect(Object.getOwnPropertyDescriptor(error, 'hidden')).toMatchObject({
        value: 'not listed',
        enumerable: false,
      })
      expect(Object.getOwnPropertyDescriptor(error, 'message')?.enumerable).toBe(false)
      const custom = caught(() => runner.call('throwError', 'custom'))
      expect(Object.keys(custom)).toEqual(['name'])
      const typed = caught(() => runner.call('throwError', 'type'))
      expect(Object.keys(typed)).toEqual(['code', 'detail'])
      expect(Object.getOwnPropertyDescriptor(typed, 'cause')?.enumerable).toBe(false)
      const aggregate = caught(() => runner.call('throwError', 'aggregate'))
      expect(Object.keys(aggregate)).toEqual([])
    })

    test('a task error whose cause chain loops, listing one error twice, comes back with that graph', () => {
      using runner = open()
      const error = caught(() => runner.call('throwError', 'cycle'))
      expect(error).toBeInstanceOf(AggregateError)
      expect(error.errors[0]).toBe(error.errors[1])
      expect(error.cause).toBe(error.errors[0])
      expect(error.cause.cause).toBe(error.cause)
      expect(error.cause.message).toBe('loop')
    })

    testIf(
      caps.serializes,
      'a task error holding what cannot be cloned is ERR_PALITRA_SERIALIZE naming where and what it was; the host lives on',
      () => {
        using runner = open()
        const before = runner.call('bump')
        const error = caught(() => runner.call('throwError', 'uncloneable'))
        expect(error.code).toBe('ERR_PALITRA_SERIALIZE')
        expect(error.message).toContain('error.retry is a function')
        expect(error.message).toContain('it was TypeError: bad input')
        expect(runner.call('bump')).toBe(before + 1)
      },
    )

    test('generated values (PALITRA_FUZZ_SEED replays a run)', () => {
      const { seed, numRuns } = fuzzSettings()
      const { root } = arbitraries({ sharedMemory })
      using runner = open()
      let sent = 0
      const started = performance.now()
      try {
        fc.assert(
          fc.property(root, (description) => {
            const value = build(description)
            sent++
            if (caps.serializes && !cloneable(value)) {
              // What structured clone refuses (an error whose `name` has no string form) is refused.
              expect(caught(() => runner.call('echo', value)).code).toBe('ERR_PALITRA_SERIALIZE')
              return true
            }
            const got = runner.call('echo', value)
            if (!caps.serializes) return Object.is(got, value)
            const mismatch = cloneMismatch(structuredClone(value), got)
            if (mismatch) throw new Error(mismatch)
            return true
          }),
          { seed, numRuns },
        )
      } finally {
        console.log(
          `[palitra fidelity] ${backend().name}: ${sent} generated values, seed ${seed} (PALITRA_FUZZ_SEED=${seed} replays), ${Math.round(performance.now() - started)} ms`,
        )
      }
    }, 120_000)

    test("a runner's first call, which may travel with the load, answers generated values as a loaded runner does", () => {
      const { seed, numRuns } = fuzzSettings()
      const { root } = arbitraries({ sharedMemory })
      using loaded = open()
      loaded.start()
      /** What a call answered, in a form two answers can be compared in. */
      const answer = (call: () => unknown) => {
        try {
          return { value: call() }
        } catch (error) {
          return { code: (error as { code?: unknown }).code ?? String(error) }
        }
      }
      fc.assert(
        fc.property(root, (description) => {
          const value = build(description)
          // A new runner for every value: each one's call is its first.
          const first = answer(() => {
            using fresh = open()
            return fresh.call('echo', value)
          })
          const later = answer(() => loaded.call('echo', value))
          if ('code' in later) {
            expect(first).toEqual(later)
            return true
          }
          if (!('value' in first)) throw new Error(`the first call failed: ${first.code}`)
          if (!caps.serializes) return Object.is(first.value, value)
          const mismatch = cloneMismatch(later.value, first.value)
          if (mismatch) throw new Error(mismatch)
          return true
        }),
        // Every run starts a host: far fewer than the values sent to one runner.
        { seed, numRuns: Math.min(numRuns, firstCallRuns) },
      )
    }, 120_000)

    testIf(
      caps.serializes,
      'generated values holding something structured clone refuses are ERR_PALITRA_SERIALIZE naming where, both ways',
      () => {
        const { seed } = fuzzSettings()
        using runner = open()
        fc.assert(
          fc.property(carriers(), (carrier) => {
            const sent = caught(() => runner.call('echo', poisoned(carrier)))
            expect(sent.code).toBe('ERR_PALITRA_SERIALIZE')
            expect(sent.message).toContain(`args[0]${carrier.where} is a`)
            const returned = caught(() =>
              runner.call('withUncloneable', carrier.value, carrier.path, carrier.poison),
            )
            expect(returned.code).toBe('ERR_PALITRA_SERIALIZE')
            expect(returned.message).toContain(`result${carrier.where} is a`)
            expect(runner.call('inc', 1)).toBe(2)
          }),
          { seed, numRuns: uncloneableRuns },
        )
      },
    )
  })
}
