import { errors } from './errors.js'
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
    throw errors.expected({ name: 'options', expected: 'an object', value: options })
  }
  for (const key of Object.keys(options)) {
    if (!knownKeys.has(key)) {
      throw errors.invalidArgument({
        message: `unknown option "${key}"; known options: ${[...knownKeys].join(', ')}`,
      })
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
    throw errors.expected({ name: 'call options', expected: 'an object', value: options })
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
    throw errors.expected({ name: 'batch options', expected: 'an object', value: options })
  }
  for (const key of Object.keys(options)) {
    if (!batchKeys.has(key)) {
      throw errors.invalidArgument({
        message: `unknown batch option "${key}"; known options: ${[...batchKeys].join(', ')}`,
      })
    }
  }
  const { concurrency } = options
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1) &&
    concurrency !== Number.POSITIVE_INFINITY
  ) {
    throw errors.expected({
      name: 'concurrency',
      expected: 'a positive whole number (or Infinity)',
      value: concurrency,
    })
  }
  return {
    timeout: resolveCallTimeout(options, fallbackTimeout),
    concurrency: concurrency === undefined || concurrency >= calls ? undefined : concurrency,
  }
}

/** A duration in ms: a non-negative number, `Infinity` allowed. */
export function checkDuration(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw errors.expected({ name, expected: 'a non-negative number of milliseconds', value })
  }
  return value
}
