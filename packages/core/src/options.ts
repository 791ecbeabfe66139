import { errors } from './errors.js'
import type { CallOptions, ResolvedRunnerOptions, RunnerOptions } from './types.js'

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

/** A duration in ms: a non-negative number, `Infinity` allowed. */
export function checkDuration(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw errors.expected({ name, expected: 'a non-negative number of milliseconds', value })
  }
  return value
}
