import { PalitraError } from '../errors.js'
import type { HostRequest, ResolvedRunnerOptions, Session } from '../types.js'
import { decodeThrown } from '../wire/error-codec.js'
import { findUncloneable } from '../wire/find-uncloneable.js'
import type { Reply } from '../wire/messages.js'
import { ThreadChannel, type ThreadChannelOptions } from '../wire/thread-client.js'

/** Why a channel-based backend cannot run in this runtime, if it cannot. */
export function sharedMemoryMissing(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') {
    return 'SharedArrayBuffer and Atomics.wait are not available in this runtime'
  }
  return undefined
}

export interface ThreadSessionOptions extends ThreadChannelOptions {
  /** Backend name for error messages. */
  readonly backend: string
  /** What the host is, in messages: "worker thread", "child process". */
  readonly hostKind: string
  readonly runner: ResolvedRunnerOptions
}

function describeRequest(request: HostRequest): string {
  switch (request.op) {
    case 'call':
      return `running task "${request.name}"`
    case 'next':
    case 'return':
      return 'stepping an iterator'
    case 'load':
      return 'loading the tasks module'
    case 'teardown':
      return 'running teardown'
  }
}

/**
 * A `Session` over the shared-buffer channel to a host thread: what the worker backend is, and
 * what the subprocess backend is with a relay thread in front of its child. Turns the channel's
 * outcomes into values, the task's own errors, or PalitraErrors.
 */
export function createThreadSession(options: ThreadSessionOptions): Session {
  const channel = new ThreadChannel(options)
  const { backend, hostKind, runner } = options
  const error = (
    code: ConstructorParameters<typeof PalitraError>[0],
    message: string,
    details = {},
  ) => new PalitraError(code, message, { backend, ...details })

  const crashed = (request: HostRequest): PalitraError => {
    channel.terminate()
    const note = channel.deathReport()
    const how = [
      note.exitCode !== undefined ? `exit code ${note.exitCode}` : undefined,
      note.signal ? `signal ${note.signal}` : undefined,
      note.reason,
    ].filter(Boolean)
    const died = error(
      'ERR_PALITRA_CRASHED',
      `the ${hostKind} died while ${describeRequest(request)} (${how.join(', ') || 'no word left: out of memory under resourceLimits, or killed'}); the next call starts a fresh one${note.stderr ? `\n--- last stderr lines ---\n${note.stderr.trimEnd()}` : ''}`,
      {
        cause: note.uncaught === undefined ? undefined : decodeThrown(note.uncaught),
        exitCode: note.exitCode,
        signal: note.signal,
        stderr: note.stderr,
      },
    )
    if (request.op !== 'load') return died
    return error('ERR_PALITRA_STARTUP', `the ${hostKind} died while loading the tasks module`, {
      cause: died,
    })
  }

  const send = (request: HostRequest): number => {
    try {
      return channel.send(request)
    } catch (failure) {
      // A DataCloneError, or what reading the value threw (a getter, a `name` with no string form).
      if (failure instanceof PalitraError) throw failure
      const args = request.op === 'call' ? request.args : request
      const where = findUncloneable(args, 'args')
      throw error(
        'ERR_PALITRA_SERIALIZE',
        `an argument cannot be sent to the ${hostKind}: ${where ?? (failure as Error).message}`,
        { path: where?.split(' ')[0], cause: failure },
      )
    }
  }

  const readReply = (): Reply => channel.readReply()

  return {
    request(request, timeoutMs) {
      if (channel.dead) throw crashed(request)
      const seq = send(request)
      const deadline =
        timeoutMs === Number.POSITIVE_INFINITY ? timeoutMs : performance.now() + timeoutMs
      const outcome = channel.wait(seq, deadline)
      if (outcome === 'dead') throw crashed(request)
      if (outcome === 'timeout') {
        const what = describeRequest(request)
        channel.abort(seq, `timed out after ${timeoutMs} ms while ${what}`)
        const late = channel.wait(seq, performance.now() + runner.abortGrace)
        let cause: unknown
        let replaced = false
        if (late === 'reply') {
          const reply = readReply()
          cause = reply.ok ? undefined : decodeThrown(reply.error)
        } else {
          replaced = true
          channel.terminate()
        }
        const timeout = error(
          'ERR_PALITRA_TIMEOUT',
          `timed out after ${timeoutMs} ms while ${what}${replaced ? `; the task ignored its AbortSignal, so its ${hostKind} was replaced` : ''}`,
          { cause, timeout: timeoutMs, replaced },
        )
        if (request.op === 'load') {
          throw error('ERR_PALITRA_STARTUP', 'the tasks module did not finish loading in time', {
            cause: timeout,
          })
        }
        throw timeout
      }
      const reply = readReply()
      if (reply.ok) return reply.value
      throw decodeThrown(reply.error, new Error().stack)
    },
    alive: () => !channel.dead,
    close(graceMs) {
      if (!channel.dead) {
        try {
          this.request({ op: 'teardown', graceMs }, graceMs + 1_000)
        } catch {
          // Closing never throws; a teardown that failed has already said so on stderr.
        }
      }
      channel.terminate()
    },
  }
}
