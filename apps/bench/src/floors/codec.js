// The floors' wire format, as small as the workloads allow: a task is named by its index, and a
// value is a number, a string, a byte array or an error message, written as raw bytes, or a plain
// object or array as its JSON text. Anything else is refused, so a floor never looks cheaper by
// carrying less than the workload asks.
import { Buffer } from 'node:buffer'

/** The tasks of src/tasks/impl.mjs, by index on the wire. */
export const taskNames = ['inc', 'sleep', 'echo', 'fetchLocal', 'crunch', 'timedSleep']

export const Tag = Object.freeze({ number: 0, string: 1, bytes: 2, error: 3, json: 4 })

/** @param {string} name */
export function taskIndex(name) {
  const index = taskNames.indexOf(name)
  if (index === -1) throw new Error(`the floors carry only ${taskNames.join(', ')}; not ${name}`)
  return index
}

/**
 * The tag and byte length of a value (and, for an object, the JSON text to write).
 * @param {unknown} value
 * @returns {{ tag: number, length: number, text?: string }}
 */
export function measure(value) {
  if (typeof value === 'number') return { tag: Tag.number, length: 8 }
  if (typeof value === 'string') return { tag: Tag.string, length: Buffer.byteLength(value) }
  if (value instanceof Uint8Array) return { tag: Tag.bytes, length: value.byteLength }
  const proto =
    value === null || typeof value !== 'object' ? undefined : Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === Array.prototype) {
    const text = JSON.stringify(value)
    return { tag: Tag.json, length: Buffer.byteLength(text), text }
  }
  throw new Error(
    `the floors carry numbers, strings, Uint8Arrays and plain objects; not ${typeof value}`,
  )
}

/**
 * Write `value` at `offset` of `target` (a Buffer, possibly over a SharedArrayBuffer).
 * @param {Buffer} target
 * @param {number} offset
 * @param {unknown} value
 * @param {{ tag: number, length: number, text?: string }} shape  from measure(value)
 */
export function writeValue(target, offset, value, shape) {
  if (shape.tag === Tag.number) target.writeDoubleLE(/** @type {number} */ (value), offset)
  else if (shape.tag === Tag.bytes) target.set(/** @type {Uint8Array} */ (value), offset)
  else if (shape.tag === Tag.json) target.write(/** @type {string} */ (shape.text), offset, 'utf8')
  else target.write(/** @type {string} */ (value), offset, shape.length, 'utf8')
}

/**
 * Read a value back; a copy, never a view of the shared or reused memory.
 * @param {Buffer} source
 * @param {number} offset
 * @param {number} tag
 * @param {number} length
 */
export function readValue(source, offset, tag, length) {
  if (tag === Tag.number) return source.readDoubleLE(offset)
  if (tag === Tag.bytes) return new Uint8Array(source.subarray(offset, offset + length))
  const text = source.toString('utf8', offset, offset + length)
  if (tag === Tag.error) throw new Error(text)
  return tag === Tag.json ? JSON.parse(text) : text
}

/** @param {unknown} error */
export const errorText = (error) =>
  error instanceof Error ? error.message : `non-error thrown: ${String(error)}`
