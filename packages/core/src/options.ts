import { PalitraError } from './errors.js'
import type { BatchOptions, CallOptions, ResolvedRunnerOptions, RunnerOptions } from './types.js'

/** Every runner default, in one place (each is stated in the option's JSDoc). */
export const defaultRunnerOptions: ResolvedRunnerOptions = Object.freeze({
  timeout: Number.POSITIVE_INFINITY,
  startupTimeout: 30_000,
  teardownGrace: 5_000,
  abortGrace: 200,
})

const durationKeys = ['timeout', 'startupTimeout', 'teardownGrace', 'abortGrace'] as const
const knownKeys = new Set<string>(['backend', ...durationKeys])

export function resolveRunnerOptions(options: RunnerOptions = {}): ResolvedRunnerOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!knownKeys.has(key)) {
      throw invalid(`unknown option "${key}"; known options: ${[...knownKeys].join(', ')}`)
    }
  }
  const resolved: Record<string, number> = { ...defaultRunnerOptions }
  for (const key of durationKeys) {
    if (options[key] !== undefined) resolved[key] = checkDuration(options[key], key)
  }
  return Object.freeze(resolved) as unknown as ResolvedRunnerOptions
}

export function resolveCallTimeout(options: CallOptions, fallback: number): number {
  if (options === null || typeof options !== 'object') {
    throw invalid(`call options must be an object, got ${describe(options)}`)
  }
  return options.timeout === undefined ? fallback : checkDuration(options.timeout, 'timeout')
}

const batchKeys = new Set(['timeout', 'concurrency'])

/** A batch's deadline and bound; `concurrency` is left out when it bounds nothing. */
export function resolveBatchOptions(
  options: BatchOptions,
  fallbackTimeout: number,
  calls: number,
): { timeout: number; concurrency: number | undefined } {
  if (options === null || typeof options !== 'object') {
    throw invalid(`batch options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!batchKeys.has(key)) {
      throw invalid(`unknown batch option "${key}"; known options: ${[...batchKeys].join(', ')}`)
    }
  }
  const { concurrency } = options
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1) &&
    concurrency !== Number.POSITIVE_INFINITY
  ) {
    throw invalid(
      `concurrency must be a positive whole number (or Infinity), got ${describe(concurrency)}`,
    )
  }
  return {
    timeout: resolveCallTimeout(options, fallbackTimeout),
    concurrency: concurrency === undefined || concurrency >= calls ? undefined : concurrency,
  }
}

/** A duration in ms: a non-negative number, `Infinity` allowed. */
export function checkDuration(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw invalid(`${name} must be a non-negative number of milliseconds, got ${describe(value)}`)
  }
  return value
}

export function invalid(message: string): PalitraError {
  return new PalitraError('ERR_PALITRA_INVALID_ARGUMENT', message)
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  if (typeof value === 'object') return value.constructor?.name ?? 'object'
  return `${typeof value} ${String(value)}`
}
