import fs from 'node:fs'

const pause = new Int32Array(new SharedArrayBuffer(4))

/** Write all of `data` to `fd` now, riding out EAGAIN on a non-blocking pipe. */
export function writeAllSync(fd: number, data: Uint8Array): void {
  let offset = 0
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(pause, 0, 0, 1)
    }
  }
}

/**
 * A worker's `process.stdout` normally travels to the parent by message and is written when the
 * parent's event loop runs: after the blocked call, out of order, or never if the parent exits.
 * Writing straight to the inherited fds keeps task output in order and before the call returns.
 */
export function writeStdioStraightToFds(): void {
  for (const [stream, fd] of [
    [process.stdout, 1],
    [process.stderr, 2],
  ] as const) {
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === 'function' ? encoding : callback
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : chunk
      let failure: Error | null = null
      try {
        writeAllSync(fd, bytes)
      } catch (error) {
        failure = error as Error
      }
      if (typeof done === 'function') process.nextTick(done as (e: Error | null) => void, failure)
      return true
    }) as typeof stream.write
  }
}
