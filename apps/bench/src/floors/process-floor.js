// The caller's side of the process floor: two named pipes (FIFOs) to a persistent child. The
// caller writes a request frame and reads the reply with blocking readSync, so it sleeps in the
// kernel until the child answers: the plainest synchronous round trip between two processes.
// FIFOs rather than the child's stdio because Node makes its ends of stdio pipes non-blocking.
import { Buffer } from 'node:buffer'
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readValue, taskIndex } from './codec.js'
import { decodeHeader, encodeFrame, frameHeaderBytes } from './process-frame.js'

const hostFile = fileURLToPath(new URL('./process-host.mjs', import.meta.url))

/** Why the process floor cannot run here, or undefined. */
export function processFloorUnavailable() {
  if (process.platform === 'win32') return 'needs POSIX named pipes (mkfifo)'
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
  } catch {
    // BSD mkfifo has no --version but exists; only a missing binary matters.
    try {
      execFileSync('sh', ['-c', 'command -v mkfifo'], { stdio: 'ignore' })
    } catch {
      return 'no mkfifo on PATH'
    }
  }
  return undefined
}

/** @param {URL} tasksUrl */
export function openProcessFloor(tasksUrl) {
  const dir = mkdtempSync(path.join(tmpdir(), 'palitra-floor-'))
  const requestPath = path.join(dir, 'request')
  const replyPath = path.join(dir, 'reply')
  execFileSync('mkfifo', [requestPath, replyPath])
  // Read-write opens of a FIFO never block waiting for the other end (Linux, macOS).
  const requests = openSync(requestPath, 'r+')
  const replies = openSync(replyPath, 'r+')
  const child = spawn(process.execPath, [hostFile, requestPath, replyPath, tasksUrl.href], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  child.unref()
  const header = Buffer.alloc(frameHeaderBytes)

  /** @param {Buffer} into */
  function readFully(into) {
    for (let at = 0; at < into.length; ) {
      const read = readSync(replies, into, at, into.length - at, null)
      if (read === 0) throw new Error('floor-process: the child closed its pipe')
      at += read
    }
  }

  /** @param {Buffer} frame */
  function writeFully(frame) {
    for (let at = 0; at < frame.length; ) at += writeSync(requests, frame, at)
  }

  return {
    /** @param {string} name @param {unknown} arg */
    call(name, arg) {
      writeFully(encodeFrame(taskIndex(name), arg))
      readFully(header)
      const { length, tag } = decodeHeader(header)
      const body = Buffer.allocUnsafe(length)
      readFully(body)
      return readValue(body, 0, tag, length)
    },
    close() {
      writeFully(encodeFrame(255, 0))
      closeSync(requests)
      closeSync(replies)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
