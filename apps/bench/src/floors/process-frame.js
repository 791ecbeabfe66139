// The process floor's frames: an 8-byte header (body length, tag, task index) and the value's
// bytes. The same in both directions.
import { Buffer } from 'node:buffer'
import { measure, writeValue } from './codec.js'

export const frameHeaderBytes = 8

/**
 * One frame as a Buffer.
 * @param {number} task  index in codec.taskNames; 255 asks the host to exit
 * @param {unknown} value
 * @param {{ tag: number, length: number }} [shape]  measure(value), unless the tag is forced
 */
export function encodeFrame(task, value, shape = measure(value)) {
  const frame = Buffer.allocUnsafe(frameHeaderBytes + shape.length)
  frame.writeUInt32LE(shape.length, 0)
  frame.writeUInt8(shape.tag, 4)
  frame.writeUInt8(task, 5)
  frame.writeUInt16LE(0, 6)
  writeValue(frame, frameHeaderBytes, value, shape)
  return frame
}

/** @param {Buffer} header */
export const decodeHeader = (header) => ({
  length: header.readUInt32LE(0),
  tag: header.readUInt8(4),
  task: header.readUInt8(5),
})
