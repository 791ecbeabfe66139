/**
 * How a child-process pool's IPC channel is serialized, and how palitra's structured-clone bytes
 * (requests and replies, see cloneToBytes in @palitra/channel) ride on it.
 *
 * tinypool sends each child it forks a first message that holds a MessagePort (the child never
 * uses it). Node's 'advanced' serialization lets the port through as an empty object; Bun's
 * refuses it ("DataCloneError: Object that needs transfer was found in message but not listed in
 * transferList"), thrown in the relay thread from inside tinypool's constructor, before any
 * child has started. Bun's 'json' serialization sends the port as `{}` too, so on Bun the
 * channel is JSON and palitra's bytes cross as base64 text, which JSON carries intact (as a
 * Uint8Array, they would arrive as an object of indices). Everything else palitra and tinypool
 * send over it is JSON already (numbers, strings, plain objects).
 */

export type IpcSerialization = 'advanced' | 'json'

/** Bytes as they travel over the channel: themselves ('advanced'), or base64 text ('json'). */
export type IpcBytes = Uint8Array | string

/** The serialization a child-process pool uses on this runtime (`versions`: for tests). */
export function ipcSerializationFor(
  versions: NodeJS.ProcessVersions = process.versions,
): IpcSerialization {
  return typeof versions.bun === 'string' ? 'json' : 'advanced'
}

/** `bytes` as they can cross a channel of this serialization. */
export function bytesToIpc(bytes: Uint8Array, serialization: IpcSerialization): IpcBytes {
  if (serialization === 'advanced') return bytes
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** The bytes `bytesToIpc` sent, whichever serialization sent them. */
export function bytesFromIpc(bytes: IpcBytes): Uint8Array {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : bytes
}
