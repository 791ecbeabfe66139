/**
 * On Linux and macOS, Node writes `process.stdout` and `process.stderr` asynchronously when they
 * are pipes: once the reader falls behind, writes queue in this thread, to be flushed when its
 * event loop runs. Task output then reaches the pipe after the call that wrote it returned
 * (deasync: the caller's loop), after the child answered (subprocess), or never (`process.exit`,
 * a killed child); and a worker's task output, written straight to the fd, jumps ahead of the
 * caller's own queued lines. Made blocking, a pipe behaves as files and terminals already do:
 * every write is in the pipe when `write` returns, in the order written.
 */

interface StdioHandle {
  setBlocking?(blocking: boolean): number
}

let done = false

/** Make this process's stdout and stderr pipes blocking (main thread only; once). */
export function makeStdioPipesBlocking(): void {
  if (done) return
  done = true
  for (const stream of [process.stdout, process.stderr]) {
    // Only a pipe or socket is asynchronous; in a worker thread these are message-backed streams
    // without a handle. `_handle` is Node's libuv stream, the one way to reach uv_stream_set_blocking.
    const { _handle: handle, _type: type } = stream as unknown as {
      _handle?: StdioHandle
      _type?: string
    }
    if (type === 'pipe' && typeof handle?.setBlocking === 'function') handle.setBlocking(true)
  }
}
