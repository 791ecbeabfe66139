import { PalitraError, type PalitraErrorCode } from '../errors.js'
import { type FindUncloneableOptions, findUncloneable } from './find-uncloneable.js'

/**
 * Errors cross a thread or process boundary as plain descriptors, because structured clone keeps
 * only name/message/stack of built-ins and drops subclasses, `code` and other own properties.
 */
export interface ErrorDescriptor {
  readonly __palitraError: 1
  /** Numbers the errors of one thrown value, so a cycle or an error met twice can point back. */
  readonly id?: number
  /** Nearest built-in constructor in the prototype chain (`TypeError`, `DOMException`, ...). */
  readonly base: string
  readonly name: string
  readonly message: string
  readonly stack: string | undefined
  readonly palitraCode?: string
  readonly cause?: unknown
  readonly hasCause: boolean
  readonly errors?: unknown[]
  /** Own enumerable properties other than the five above. */
  readonly props: Record<string, unknown>
  /** Own non-enumerable properties other than the five above. */
  readonly hiddenProps?: Record<string, unknown>
  /**
   * Every own property name in order, each with whether it is enumerable: a rethrown error keeps
   * the shape `Object.keys`, spreading and `JSON.stringify` see (esbuild's errors carry an
   * enumerable `errors`, class fields an own `name`).
   */
  readonly own?: Record<string, boolean>
}

/** An error already described in the same thrown value (a cause cycle, one error listed twice). */
interface ErrorReference {
  readonly __palitraError: 1
  readonly ref: number
}

/** A thrown value of the task's own that carries the descriptor mark, sent as it is. */
interface MarkedLiteral {
  readonly __palitraError: 1
  readonly literal: unknown
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

/** Carried in their own descriptor fields, rebuilt by the constructor or defined after it. */
const builtinKeys = ['name', 'message', 'stack', 'cause', 'errors'] as const
const skipped = new Set<string>(builtinKeys)
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
export function encodeThrown(value: unknown, depth = 0, seen = new Map<object, number>()): unknown {
  if (!isErrorLike(value) || depth > maxDepth)
    return isErrorDescriptor(value)
      ? ({ __palitraError: 1, literal: value } satisfies MarkedLiteral)
      : value
  const met = seen.get(value)
  if (met !== undefined) return { __palitraError: 1, ref: met } satisfies ErrorReference
  const id = seen.size
  seen.set(value, id)
  const error = value as Error & { errors?: unknown[]; code?: unknown }
  const props: Record<string, unknown> = {}
  let hiddenProps: Record<string, unknown> | undefined
  const own: Record<string, boolean> = {}
  for (const key of Object.getOwnPropertyNames(error)) {
    const property = Object.getOwnPropertyDescriptor(error, key)!
    own[key] = property.enumerable === true
    if (skipped.has(key)) {
      // Only an array `errors` has a field of its own; any other travels as a plain property.
      if (key !== 'errors' || Array.isArray(error.errors)) continue
    }
    let inner: unknown
    try {
      inner = encodeThrown((error as any)[key], depth + 1, seen)
    } catch {
      continue // A getter that throws: there is no value to carry.
    }
    if (property.enumerable) props[key] = inner
    else {
      hiddenProps ??= {}
      hiddenProps[key] = inner
    }
  }
  const base = nearestBuiltin(error)
  const hasCause = Object.hasOwn(error, 'cause')
  const code = error.code
  return {
    __palitraError: 1,
    id,
    base,
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    palitraCode: typeof code === 'string' && code.startsWith('ERR_PALITRA_') ? code : undefined,
    hasCause,
    cause: hasCause ? encodeThrown(error.cause, depth + 1, seen) : undefined,
    errors: Array.isArray(error.errors)
      ? error.errors.map((inner) => encodeThrown(inner, depth + 1, seen))
      : undefined,
    props,
    hiddenProps,
    own,
  } satisfies ErrorDescriptor
}

export function isErrorDescriptor(
  value: unknown,
): value is ErrorDescriptor | ErrorReference | MarkedLiteral {
  return (
    typeof value === 'object' && value !== null && (value as ErrorDescriptor).__palitraError === 1
  )
}

function define(target: object, key: string, value: unknown, enumerable = false): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable })
  } catch {
    // A non-configurable own property of the rebuilt built-in: the built-in's own wins.
  }
}

/**
 * Give the rebuilt error the original's own properties in the original's order, each as
 * enumerable as it was; drop what the constructor added that the original lacked (`new Error('')`
 * owns a `message`, `new Error()` does not).
 */
function matchOwnShape(error: Error, own: Record<string, boolean>): void {
  for (const key of builtinKeys) {
    if (!Object.hasOwn(own, key) && key !== 'stack')
      try {
        delete (error as any)[key]
      } catch {}
  }
  for (const [key, enumerable] of Object.entries(own)) {
    let property = Object.getOwnPropertyDescriptor(error, key)
    // An own `name` equal to the inherited one was not defined: the original owned it all the same.
    if (!property && skipped.has(key))
      property = { value: (error as any)[key], writable: true, configurable: true }
    if (!property?.configurable) continue
    // Deleting and defining again moves the key to the end: in this loop, the original's order.
    delete (error as any)[key]
    Object.defineProperty(error, key, { ...property, enumerable })
  }
}

/**
 * Rebuild a thrown value. `localStack` (this side's frames) is appended under the remote ones so a
 * stack shows both where the task failed and where it was called from.
 */
export function decodeThrown(
  value: unknown,
  localStack?: string,
  built = new Map<number, Error>(),
): unknown {
  if (!isErrorDescriptor(value)) return value
  if ('ref' in value) return built.get(value.ref)
  if ('literal' in value) return value.literal
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
  } else {
    // An AggregateError's list is defined below, once this error can be pointed back at.
    error =
      d.base === 'AggregateError'
        ? new AggregateError([], d.message)
        : new (builtins[d.base] ?? Error)(d.message)
  }
  if (d.id !== undefined) built.set(d.id, error)
  if (d.base !== 'DOMException' && error.name !== d.name) define(error, 'name', d.name)
  if (d.hasCause) define(error, 'cause', decodeThrown(d.cause, localStack, built))
  if (d.errors)
    define(
      error,
      'errors',
      d.errors.map((e) => decodeThrown(e, undefined, built)),
    )
  for (const [key, inner] of Object.entries(d.props))
    define(error, key, decodeThrown(inner, undefined, built), true)
  for (const [key, inner] of Object.entries(d.hiddenProps ?? {}))
    define(error, key, decodeThrown(inner, undefined, built))
  if (d.stack !== undefined) {
    const local = localStack?.split('\n').slice(1).join('\n')
    define(error, 'stack', local ? `${d.stack}\n    at <palitra: sync call>\n${local}` : d.stack)
  }
  if (d.own) matchOwnShape(error, d.own)
  return error
}

/**
 * Where structured clone fails in an encoded thrown value, said of the thrown error itself
 * (`error.retry is a function`, not the descriptor's `error.props.retry`), with the error's own
 * name and message: the ERR_PALITRA_SERIALIZE that replaces it is all the caller will see.
 */
export function findUncloneableThrown(
  encoded: unknown,
  options?: FindUncloneableOptions,
): string | undefined {
  const where = findUncloneable(encoded, 'error', options)
  if (where === undefined) return undefined
  const said = where.replace(/^\S+/, (path) =>
    path.replace(/\.(?:props|hiddenProps|literal)(?=[.[]|$)/g, ''),
  )
  const d = encoded as Partial<ErrorDescriptor>
  return isErrorDescriptor(encoded) && typeof d.message === 'string'
    ? `${said}; it was ${d.name}: ${d.message}`
    : said
}
