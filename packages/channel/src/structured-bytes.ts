/**
 * Values as structured-clone bytes, for what crosses to another process (the subprocess
 * backend's bodies, a process pool's requests and replies), the same on Node and on Bun.
 */

/**
 * `node:v8`, taken on first use: loading it is a measurable part of a new thread's start-up, and
 * a worker host, which imports this package for its channel, never needs it.
 */
let v8Module: typeof import('node:v8') | undefined
const v8 = () => (v8Module ??= process.getBuiltinModule('node:v8'))

/**
 * V8's own structured clone, as `structuredClone` and `postMessage` run it. Not `v8.serialize`:
 * its serializer writes each typed array as a bare copy of its bytes, so a view comes back as a
 * view into the frame it arrived in, apart from the rest of its buffer and from other views of
 * that buffer. A SharedArrayBuffer is refused (a DataCloneError): its memory cannot be shared with
 * another process.
 */
function structuredToBytes(value: unknown): Buffer {
  const serializer = new (v8().Serializer)()
  serializer.writeHeader()
  serializer.writeValue(value)
  return serializer.releaseBuffer()
}

function structuredFromBytes(bytes: Uint8Array): unknown {
  const deserializer = new (v8().Deserializer)(bytes as Buffer)
  deserializer.readHeader()
  return deserializer.readValue()
}

/** Bun has `v8.serialize` (its own structured clone) but not the `Serializer` class. */
function hasSerializerClass(): boolean {
  try {
    ;new (v8().Serializer)().releaseBuffer()
    return true
  } catch {
    return false
  }
}

/**
 * What in `value` Bun's `v8.serialize` gets wrong: shared memory (copied silently), and Buffers
 * (they come back as Buffers, where structured clone gives a plain Uint8Array).
 */
function findMisfits(
  value: unknown,
  found = { shared: false, buffer: false },
  seen = new Set<object>(),
): { shared: boolean; buffer: boolean } {
  if (typeof value !== 'object' || value === null || seen.has(value)) return found
  seen.add(value)
  if (value instanceof SharedArrayBuffer) found.shared = true
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof SharedArrayBuffer) found.shared = true
    if (Buffer.isBuffer(value)) found.buffer = true
  } else {
    const inner =
      value instanceof Map
        ? [...value.keys(), ...value.values()]
        : value instanceof Set
          ? [...value]
          : Object.values(value)
    for (const item of inner) findMisfits(item, found, seen)
  }
  return found
}

/** `v8.serialize`, made to give what structured clone across processes gives (exported for tests). */
export function serializeAsStructuredClone(value: unknown): Buffer {
  const misfits = findMisfits(value)
  if (misfits.shared) {
    throw new DOMException(
      'a SharedArrayBuffer cannot be sent to another process',
      'DataCloneError',
    )
  }
  // A clone first turns each Buffer into the Uint8Array it would arrive as (only then: it costs a
  // second copy of the value).
  return v8().serialize(misfits.buffer ? structuredClone(value) : value)
}

type Clone = readonly [(value: unknown) => Buffer, (bytes: Uint8Array) => unknown]

let clone: Clone | undefined
/** Chosen on first use, so that importing this module costs nothing (see v8). */
const chosenClone = (): Clone =>
  (clone ??= hasSerializerClass()
    ? [structuredToBytes, structuredFromBytes]
    : [serializeAsStructuredClone, (bytes) => v8().deserialize(bytes as Buffer)])

/**
 * V8's structured clone to bytes, for what crosses to another process: Node's IPC ('advanced'
 * serialization) and `v8.serialize` would write each typed array as a bare copy of its bytes, so
 * a view would come back apart from the rest of its buffer and from other views of it. On Bun,
 * which lacks the Serializer class, its own `v8.serialize`, made to give the same.
 */
export function cloneToBytes(value: unknown): Buffer {
  return chosenClone()[0](value)
}

/** The value `cloneToBytes` wrote. */
export function cloneFromBytes(bytes: Uint8Array): unknown {
  return chosenClone()[1](bytes)
}
