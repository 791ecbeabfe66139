import { findUncloneableThrown } from './host/error-codec.js'
import { findUncloneable } from './host/find-uncloneable.js'

/** Every code palitra raises; stable across releases. */
export const errorCodes = [
  'ERR_PALITRA_TIMEOUT',
  'ERR_PALITRA_CLOSED',
  'ERR_PALITRA_CRASHED',
  'ERR_PALITRA_STARTUP',
  'ERR_PALITRA_NOT_FOUND',
  'ERR_PALITRA_SERIALIZE',
  'ERR_PALITRA_DEADLOCK',
  'ERR_PALITRA_CONTEXT',
  'ERR_PALITRA_UNAVAILABLE',
  'ERR_PALITRA_INVALID_ARGUMENT',
] as const

export type PalitraErrorCode = (typeof errorCodes)[number]

export interface PalitraErrorDetails {
  cause?: unknown
  /** Backend that raised it, shown as `[palitra] [worker] …`. */
  backend?: string
  /** Extra facts (exit code, signal, stderr tail, path in a value, ...), copied onto the error. */
  [key: string]: unknown
}

/** The one error class palitra throws itself. Task errors are never wrapped in it. */
export class PalitraError extends Error {
  readonly code: PalitraErrorCode

  constructor(code: PalitraErrorCode, message: string, details: PalitraErrorDetails = {}) {
    const { cause, backend, ...facts } = details
    const prefix = backend ? `[palitra] [${backend}] ` : '[palitra] '
    super(prefix + message, cause === undefined ? undefined : { cause })
    this.code = code
    Object.assign(this, facts)
  }

  override get name(): string {
    return 'PalitraError'
  }
}

export function isPalitraError(value: unknown, code?: PalitraErrorCode): value is PalitraError {
  if (!(value instanceof Error)) return false
  const actual = (value as Error & { code?: unknown }).code
  return (
    typeof actual === 'string' &&
    actual.startsWith('ERR_PALITRA_') &&
    (code === undefined || actual === code)
  )
}

/** A value as a message shows it: `"text"`, `null`, `Map`, `function f`, `number 3`. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  if (typeof value === 'object') return value.constructor?.name ?? 'object'
  return `${typeof value} ${String(value)}`
}

/** What a dying host leaves for the caller's ERR_PALITRA_CRASHED (all optional). */
export interface DeathReport {
  readonly exitCode?: number
  /** The uncaught error, as the error codec encoded it. */
  readonly uncaught?: unknown
  readonly signal?: string
  /** The last lines the host wrote to stderr. */
  readonly stderr?: string
  readonly reason?: string
}

/** What ERR_PALITRA_SERIALIZE is told about the value that could not cross. */
interface SerializeFacts extends Origin {
  readonly direction: 'args' | 'calls' | 'result' | 'error'
  readonly value: unknown
  readonly hostKind?: string
  /** Where the value sits, for the path in the message; default: the direction's name. */
  readonly at?: string
  /** Which call of a batch the result belongs to. */
  readonly call?: number
  /** The value goes to another process, where shared memory cannot follow. */
  readonly acrossProcesses?: boolean
}

/** Where in the value structured clone fails, as `args[0].onData is a function`. */
function uncloneablePath(facts: SerializeFacts): string | undefined {
  const options = { acrossProcesses: facts.acrossProcesses }
  // An error travels encoded: its path is told as the error's own, not the descriptor's.
  return facts.direction === 'error'
    ? findUncloneableThrown(facts.value, options)
    : findUncloneable(facts.value, facts.at ?? facts.direction, options)
}

interface Origin {
  /** Backend that raises it. */
  readonly backend?: string | undefined
}

/**
 * Every PalitraError is built here, one constructor per code (variants where a code has several
 * causes), so each message is written once and reads the same from every backend.
 */
export const errors = {
  /** A deadline passed. `replaced`: the task ignored its signal and its host was replaced. */
  timeout(
    facts: Origin & {
      what: string
      timeoutMs: number
      replaced?: boolean
      hostKind?: string
      /** The task runs on the caller's thread: it cannot be stopped, only told. */
      inProcess?: boolean
      cause?: unknown
    },
  ): PalitraError {
    const after = facts.replaced
      ? `; the task ignored its AbortSignal, so its ${facts.hostKind ?? 'host'} was replaced`
      : facts.inProcess
        ? '; its AbortSignal was aborted (an in-process task that ignores it cannot be stopped, and goes on in the background)'
        : ''
    return new PalitraError(
      'ERR_PALITRA_TIMEOUT',
      `timed out after ${facts.timeoutMs} ms while ${facts.what}${after}`,
      {
        backend: facts.backend,
        cause: facts.cause,
        timeout: facts.timeoutMs,
        ...(facts.replaced === undefined ? {} : { replaced: facts.replaced }),
      },
    )
  },

  /**
   * `serialize` when the value holds something that cannot cross (a function, a symbol, shared
   * memory going to another process, ...), found by walking it; `undefined` when nothing is.
   */
  unsendable(facts: SerializeFacts & { cause?: unknown }): PalitraError | undefined {
    if (uncloneablePath(facts) === undefined) return undefined
    return errors.serialize({ ...facts, cause: facts.cause ?? new Error('could not be cloned') })
  },

  /** A call on a closed runner, or a call cut short because its runner is closing. */
  closed(facts: Origin & { moduleUrl: string; closing?: boolean }): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_CLOSED',
      facts.closing
        ? `the runner for ${facts.moduleUrl} is closing`
        : `runner for ${facts.moduleUrl} is closed`,
      { backend: facts.backend },
    )
  },

  /** The host died while doing `what`; the report says how, as far as anything could tell. */
  crashed(
    facts: Origin & { hostKind: string; what: string; report: DeathReport; cause?: unknown },
  ): PalitraError {
    const { report } = facts
    const how = [
      report.exitCode !== undefined ? `exit code ${report.exitCode}` : undefined,
      report.signal ? `signal ${report.signal}` : undefined,
      report.reason,
    ].filter(Boolean)
    const stderr = report.stderr ? `\n--- last stderr lines ---\n${report.stderr.trimEnd()}` : ''
    return new PalitraError(
      'ERR_PALITRA_CRASHED',
      `the ${facts.hostKind} died while ${facts.what} (${how.join(', ') || 'no word left: out of memory under resourceLimits, or killed'}); the next call starts a fresh one${stderr}`,
      {
        backend: facts.backend,
        cause: facts.cause,
        exitCode: report.exitCode,
        signal: report.signal,
        stderr: report.stderr,
      },
    )
  },

  /** An iterator outlived the host that held it (the host crashed or was replaced). */
  iteratorHostGone(facts: Origin): PalitraError {
    return new PalitraError('ERR_PALITRA_CRASHED', 'the host that held this iterator is gone', {
      backend: facts.backend,
    })
  },

  /** The tasks module could not be loaded; the real error is the cause. */
  startup(
    facts: Origin & {
      moduleUrl: string
      cause: unknown
      /** How it failed: the module threw or was missing, the host died, or it took too long. */
      kind: 'load' | 'died' | 'slow'
      hostKind?: string
      hint?: string
    },
  ): PalitraError {
    const message =
      facts.kind === 'died'
        ? `the ${facts.hostKind ?? 'host'} died while loading the tasks module ${facts.moduleUrl}`
        : facts.kind === 'slow'
          ? `the tasks module ${facts.moduleUrl} did not finish loading in time`
          : `tasks module ${facts.moduleUrl} failed to load: ${(facts.cause as Error)?.message ?? facts.cause}${facts.hint ?? ''}`
    return new PalitraError('ERR_PALITRA_STARTUP', message, {
      backend: facts.backend,
      cause: facts.cause,
    })
  },

  /** No such task (or iterator) to serve. */
  notFound(
    facts: Origin &
      (
        | { kind: 'name'; name: unknown; where?: string }
        | { kind: 'export'; name: string; moduleUrl: string; exists: boolean; tasks: string[] }
        | { kind: 'iterator'; id: number }
      ),
  ): PalitraError {
    const message =
      facts.kind === 'name'
        ? `a task name must be a non-empty string, got ${describe(facts.name)}${facts.where ?? ''}`
        : facts.kind === 'iterator'
          ? `no open iterator #${facts.id} (finished or closed)`
          : `${facts.exists ? 'export is not a function:' : 'no export'} "${facts.name}" in ${facts.moduleUrl}; tasks: ${facts.tasks.join(', ') || '(none)'}`
    return new PalitraError('ERR_PALITRA_NOT_FOUND', message, { backend: facts.backend })
  },

  /** A value cannot cross the boundary; the message names where in it, when that can be found. */
  serialize(facts: SerializeFacts & { cause: unknown }): PalitraError {
    const where = uncloneablePath(facts)
    const detail = where ?? (facts.cause as Error)?.message ?? String(facts.cause)
    const message =
      facts.direction === 'args' || facts.direction === 'calls'
        ? `an argument cannot be sent to the ${facts.hostKind ?? 'host'}: ${detail}`
        : `the ${facts.call === undefined ? "task's" : `call #${facts.call} of the batch's`} ${facts.direction} cannot be sent back to the caller: ${detail}`
    return new PalitraError('ERR_PALITRA_SERIALIZE', message, {
      backend: facts.backend,
      cause: facts.cause,
      path: where?.split(' ')[0],
    })
  },

  /** A task called back into the runner that is blocked waiting for it. */
  reentrant(facts: Origin): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      'a task called back into the runner that is waiting for it; this wait could never end',
      { backend: facts.backend },
    )
  },

  /** Every host of a pool is held by an open iterator: a call could only wait for the caller. */
  poolHeld(facts: Origin & { hostKind: string; size: number }): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      `every ${facts.hostKind} of the pool (${facts.size}) is held by an open iterator, so this call could only wait for the caller, who is blocked: finish or return() an iterator first, or make the pool larger`,
      { backend: facts.backend },
    )
  },

  /** A call's promise can never settle: nothing is left in the host's loop that could settle it. */
  neverSettles(facts: Origin & { hostKind: string }): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      `the task's promise can never settle: nothing is left in the ${facts.hostKind}'s event loop that could settle it`,
      { backend: facts.backend },
    )
  },

  /** A wait inside another wait on a thread whose loop cannot be run re-entrantly. */
  nestedWait(facts: Origin & { what: string; outer: string; alternative: string }): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_DEADLOCK',
      `cannot block for ${facts.what}: this thread is already blocked waiting for ${facts.outer}, and this call came from a callback that ran during that wait. The libuv loop cannot be run re-entrantly, so a nested wait could never be relied on to end. Make this call outside that wait, or use ${facts.alternative}.`,
      { backend: facts.backend },
    )
  },

  /** The backend cannot block here; `alternative` names one that can. */
  context(facts: Origin & { what: string; alternative: string }): PalitraError {
    return new PalitraError(
      'ERR_PALITRA_CONTEXT',
      `cannot block for ${facts.what} inside a microtask (a .then callback, code after an await, or ESM top-level code): no promise can settle until it returns, so the wait would never end. Call from synchronous code or a macrotask (an event handler, a timer or setImmediate callback), or use ${facts.alternative}, which works here.`,
      { backend: facts.backend },
    )
  },

  /** A backend is missing, unknown, or cannot run in this runtime. */
  unavailable(facts: Origin & { reason: string; cause?: unknown }): PalitraError {
    return new PalitraError('ERR_PALITRA_UNAVAILABLE', facts.reason, {
      backend: facts.backend,
      cause: facts.cause,
    })
  },

  /** A bad option, argument, tasks location or flag. */
  invalidArgument(facts: Origin & { message: string; cause?: unknown }): PalitraError {
    return new PalitraError('ERR_PALITRA_INVALID_ARGUMENT', facts.message, {
      backend: facts.backend,
      cause: facts.cause,
    })
  },

  /** `invalidArgument` for the usual shape: `name must be expected, got <value>`. */
  expected(facts: Origin & { name: string; expected: string; value: unknown }): PalitraError {
    return errors.invalidArgument({
      backend: facts.backend,
      message: `${facts.name} must be ${facts.expected}, got ${describe(facts.value)}`,
    })
  },
}
