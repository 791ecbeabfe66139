import { PalitraError, type PalitraErrorCode } from '../errors.js'

/**
 * Errors cross a thread or process boundary as plain descriptors, because structured clone keeps
 * only name/message/stack of built-ins and drops subclasses, `code` and other own properties.
 */
export interface ErrorDescriptor {
  readonly __palitraError: 1
  /** Nearest built-in constructor in the prototype chain (`TypeError`, `DOMException`, ...). */
  readonly base: string
  readonly name: string
  readonly message: string
  readonly stack: string | undefined
  readonly palitraCode?: string
  readonly cause?: unknown
  readonly hasCause: boolean
  readonly errors?: unknown[]
  readonly props: Record<string, unknown>
}

const builtins: Record<string, new (...args: any[]) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
}
if (typeof DOMException === 'function') builtins.DOMException = DOMException as never

const skipped = new Set(['stack', 'message', 'cause', 'errors', 'name'])
const maxDepth = 16

function nearestBuiltin(error: object): string {
  for (let proto = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const name = Object.hasOwn(proto, 'constructor') ? proto.constructor?.name : undefined
    if (name && builtins[name]?.prototype === proto) return name
  }
  return 'Error'
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]'
}

/** Encode any thrown value: errors become descriptors (recursively), other values stay as they are. */
export function encodeThrown(value: unknown, depth = 0): unknown {
  if (!isErrorLike(value) || depth > maxDepth) return value
  const error = value as Error & { errors?: unknown[]; code?: unknown }
  const props: Record<string, unknown> = {}
  for (const key of Object.keys(error)) {
    if (!skipped.has(key)) props[key] = encodeThrown((error as any)[key], depth + 1)
  }
  const base = nearestBuiltin(error)
  const hasCause = Object.hasOwn(error, 'cause')
  const code = error.code
  return {
    __palitraError: 1,
    base,
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    palitraCode: typeof code === 'string' && code.startsWith('ERR_PALITRA_') ? code : undefined,
    hasCause,
    cause: hasCause ? encodeThrown(error.cause, depth + 1) : undefined,
    errors: Array.isArray(error.errors)
      ? error.errors.map((inner) => encodeThrown(inner, depth + 1))
      : undefined,
    props,
  } satisfies ErrorDescriptor
}

export function isErrorDescriptor(value: unknown): value is ErrorDescriptor {
  return (
    typeof value === 'object' && value !== null && (value as ErrorDescriptor).__palitraError === 1
  )
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  })
}

/**
 * Rebuild a thrown value. `localStack` (this side's frames) is appended under the remote ones so a
 * stack shows both where the task failed and where it was called from.
 */
export function decodeThrown(value: unknown, localStack?: string): unknown {
  if (!isErrorDescriptor(value)) return value
  const d = value
  let error: Error
  if (d.palitraCode) {
    error = new PalitraError(
      d.palitraCode as PalitraErrorCode,
      d.message.replace(/^\[palitra\] /, ''),
    )
    define(error, 'message', d.message)
  } else if (d.base === 'DOMException') {
    error = new (builtins.DOMException as any)(d.message, d.name)
  } else if (d.base === 'AggregateError') {
    error = new AggregateError(
      (d.errors ?? []).map((inner) => decodeThrown(inner)),
      d.message,
    )
  } else {
    error = new (builtins[d.base] ?? Error)(d.message)
  }
  if (d.base !== 'DOMException' && error.name !== d.name) define(error, 'name', d.name)
  if (d.hasCause) define(error, 'cause', decodeThrown(d.cause, localStack))
  if (d.errors && d.base !== 'AggregateError')
    define(
      error,
      'errors',
      d.errors.map((e) => decodeThrown(e)),
    )
  for (const [key, inner] of Object.entries(d.props)) {
    try {
      ;(error as any)[key] = decodeThrown(inner)
    } catch {
      // A read-only property on the rebuilt built-in (DOMException#code): the built-in's own wins.
    }
  }
  if (d.stack !== undefined) {
    const local = localStack?.split('\n').slice(1).join('\n')
    define(error, 'stack', local ? `${d.stack}\n    at <palitra: sync call>\n${local}` : d.stack)
  }
  return error
}
