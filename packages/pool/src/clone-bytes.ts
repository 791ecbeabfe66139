import { Deserializer, Serializer } from 'node:v8'

/**
 * V8's own structured clone to bytes, as `structuredClone` and `postMessage` run it, for what
 * crosses to a child host. Node's IPC ('advanced' serialization) writes each typed array as a
 * bare copy of its bytes, so a view would come back apart from the rest of its buffer and from
 * other views of it; these bytes cross IPC as one Buffer and are read back whole.
 */
export function cloneToBytes(value: unknown): Uint8Array {
  const serializer = new Serializer()
  serializer.writeHeader()
  serializer.writeValue(value)
  return serializer.releaseBuffer()
}

export function cloneFromBytes(bytes: Uint8Array): unknown {
  const deserializer = new Deserializer(bytes as Buffer)
  deserializer.readHeader()
  return deserializer.readValue()
}
