// The process floor's child: read request frames from one FIFO, run the task, write the reply
// frame to the other. Requests come in through the event loop (the FIFO as a pipe stream), so the
// tasks' timers and sockets run as in any Node process; replies are written with writeSync.
import { Buffer } from 'node:buffer'
import { openSync, writeSync } from 'node:fs'
import net from 'node:net'
import { errorText, readValue, Tag, taskNames } from './codec.js'
import { decodeHeader, encodeFrame, frameHeaderBytes } from './process-frame.js'

const [requestPath, replyPath, tasksUrl] = process.argv.slice(2)
const tasks = await import(tasksUrl)
const replies = openSync(replyPath, 'w')
const requests = new net.Socket({ fd: openSync(requestPath, 'r'), readable: true, writable: false })

/** @param {Buffer} frame */
function write(frame) {
  for (let at = 0; at < frame.length; ) at += writeSync(replies, frame, at)
}

/** @type {Buffer} */
let pending = Buffer.alloc(0)
// One request at a time (the caller blocks on each), so handling them in order is all it takes.
let busy = Promise.resolve()

requests.on('data', (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
  while (pending.length >= frameHeaderBytes) {
    const { length, tag, task } = decodeHeader(pending)
    if (pending.length < frameHeaderBytes + length) break
    const body = pending.subarray(frameHeaderBytes, frameHeaderBytes + length)
    pending = pending.subarray(frameHeaderBytes + length)
    if (task === 255) process.exit(0)
    const arg = readValue(body, 0, tag, length)
    busy = busy.then(async () => {
      try {
        write(encodeFrame(task, await tasks[taskNames[task]](arg)))
      } catch (error) {
        const message = errorText(error)
        write(encodeFrame(task, message, { tag: Tag.error, length: Buffer.byteLength(message) }))
      }
    })
  }
})
// The caller holds the only writer: end of file means it is gone.
requests.on('end', () => process.exit(0))
