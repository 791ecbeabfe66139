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
