import { makeStdioPipesBlocking } from '../blocking-stdio.js'
import type { HostRequest } from '../contract.js'
import { errors } from '../errors.js'
import { CallScope } from '../scope.js'
import { encodeThrown } from './error-codec.js'
import type { TaskHost } from './task-host.js'

/** A reply as it travels: `value` absent means `undefined`. */
export type Reply = { ok: true; value?: unknown } | { ok: false; error: unknown }

/** Why the caller gave up on a request: what it was doing and the deadline it passed. */
export interface AbortNote {
  readonly what: string
  readonly timeoutMs: number
}

/**
 * What carries requests into an out-of-thread host and replies back out: the one part each such
 * host (a worker thread, a child process) writes for itself. Everything else is `serveHost`'s.
 */
export interface HostTransport<Request = HostRequest, Response = Reply> {
  /**
   * Start delivering requests. A request's body is read by calling `read`, so a body that fails
   * to decode is answered with that failure like any other error.
   */
  listen(
    onRequest: (id: number, read: () => Request) => void,
    onAbort: (id: number, note: AbortNote) => void,
  ): void
  /**
   * The load of request `id` (a load with a request to serve after it, see `HostRequest`) is
   * done, and that request starts: the caller's deadline is now that request's, no longer the
   * start-up's. Optional: a transport whose caller never sends such a load need not hear it.
   */
  loaded?(id: number): void
  /** Send the answer to request `id`. Throws, having sent nothing, when it cannot be encoded. */
  reply(id: number, reply: Response): void
  /**
   * Hold this thread's event loop open (`true`: idle, waiting for the next request) or let go
   * (`false`: calls are in flight). While calls run, nothing of ours may keep the loop alive:
   * an empty loop is how the host learns that a call can never settle.
   */
  holdLoop(hold: boolean): void
}

export interface ServeOptions {
  /** Backend name for palitra's own errors raised here (`[palitra] [worker] …`). */
  readonly backend: string
  /** What the host is, in messages: "worker thread", "child process". */
  readonly hostKind: string
  /** Replies go to another process, where shared memory cannot follow. */
  readonly acrossProcesses?: boolean
}

/**
 * The serve loop every out-of-thread host runs: one scope (and AbortSignal) per request, aborts
 * from the caller, a reply that cannot cross replaced by ERR_PALITRA_SERIALIZE, and calls that can
 * never settle answered with ERR_PALITRA_DEADLOCK as soon as the loop runs empty.
 */
export function serveHost(host: TaskHost, transport: HostTransport, options: ServeOptions): void {
  // A child process host: every byte a task writes is in the pipe before its answer leaves, and
  // none waits in this process's memory for a close() that kills it. (A no-op in a worker thread.)
  makeStdioPipesBlocking()
  const inFlight = new Map<number, CallScope>()

  const send = (id: number, reply: Reply) => {
    try {
      transport.reply(id, reply)
    } catch (failure) {
      const what = reply.ok ? 'result' : 'error'
      const error = errors.serialize({
        direction: what,
        value: reply.ok ? reply.value : reply.error,
        cause: failure,
        backend: options.backend,
        acrossProcesses: options.acrossProcesses,
      })
      transport.reply(id, { ok: false, error: encodeThrown(error) })
    }
  }

  const settle = (id: number, reply: Reply) => {
    if (!inFlight.delete(id)) return
    transport.holdLoop(inFlight.size === 0)
    send(id, reply)
  }

  const start = (id: number, read: () => HostRequest) => {
    const scope = new CallScope()
    inFlight.set(id, scope)
    transport.holdLoop(false)
    let request: HostRequest
    try {
      request = read()
    } catch (error) {
      settle(id, { ok: false, error: encodeThrown(error) })
      return
    }
    serve(id, request, scope).then(
      (value) => settle(id, value === undefined ? { ok: true } : { ok: true, value }),
      (error) => settle(id, { ok: false, error: encodeThrown(error) }),
    )
  }

  /** A load that carries the runner's first request serves it as soon as the module is loaded. */
  const serve = (id: number, request: HostRequest, scope: CallScope): Promise<unknown> => {
    if (request.op !== 'load' || !request.serve) return host.handle(request, scope)
    const { serve: next } = request
    return host.handle({ op: 'load' }, scope).then(() => {
      transport.loaded?.(id)
      return host.handle(next, scope)
    })
  }

  const abort = (id: number, note: AbortNote) =>
    inFlight.get(id)?.abort(errors.timeout({ ...note, backend: options.backend }))

  process.on('beforeExit', () => {
    for (const id of [...inFlight.keys()]) {
      const error = errors.neverSettles({ hostKind: options.hostKind, backend: options.backend })
      settle(id, { ok: false, error: encodeThrown(error) })
    }
  })

  transport.holdLoop(true)
  transport.listen(start, abort)
}
