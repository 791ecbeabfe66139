import { isProxy } from 'node:util/types'

export interface FindUncloneableOptions {
  /** The value goes to another process: shared memory cannot follow it there. */
  readonly acrossProcesses?: boolean
}

function isSharedMemory(value: object): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer
  return value instanceof SharedArrayBuffer
}

/**
 * Find where in a value structured clone fails, so ERR_PALITRA_SERIALIZE can say
 * `args[1].onData is a function` instead of the engine's bare "could not be cloned".
 */
export function findUncloneable(
  value: unknown,
  path: string,
  options: FindUncloneableOptions = {},
): string | undefined {
  const seen = new Set<object>()
  const visit = (current: unknown, where: string, depth: number): string | undefined => {
    if (typeof current === 'function')
      return `${where} is a function${current.name ? ` (${current.name})` : ''}`
    if (typeof current === 'symbol') return `${where} is a symbol`
    if (typeof current !== 'object' || current === null || depth > 64) return undefined
    if (seen.has(current)) return undefined
    seen.add(current)
    if (isProxy(current)) return `${where} is a Proxy`
    if (current instanceof Promise) return `${where} is a Promise (await it in the task)`
    if (options.acrossProcesses && isSharedMemory(current)) {
      return `${where} is ${current instanceof SharedArrayBuffer ? 'a SharedArrayBuffer' : 'a view of a SharedArrayBuffer'} (shared memory cannot reach another process)`
    }
    if (current instanceof WeakMap || current instanceof WeakSet || current instanceof WeakRef) {
      return `${where} is a ${current.constructor.name}`
    }
    if (current instanceof Map) {
      let i = 0
      for (const [k, v] of current) {
        const found =
          visit(k, `${where}.<key ${i}>`, depth + 1) ?? visit(v, `${where}.get(${i})`, depth + 1)
        if (found) return found
        i++
      }
      return undefined
    }
    if (current instanceof Set) {
      let i = 0
      for (const v of current) {
        const found = visit(v, `${where}.<item ${i++}>`, depth + 1)
        if (found) return found
      }
      return undefined
    }
    if (ArrayBuffer.isView(current) || current instanceof ArrayBuffer) return undefined
    // Structured clone keeps only an error's name, message, stack and cause.
    if (current instanceof Error) return visit(current.cause, `${where}.cause`, depth + 1)
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const found = visit(current[i], `${where}[${i}]`, depth + 1)
        if (found) return found
      }
      return undefined
    }
    // Class instances clone as plain objects (losing methods): only their fields can fail.
    for (const key of Object.keys(current)) {
      let inner: unknown
      try {
        inner = (current as Record<string, unknown>)[key]
      } catch (error) {
        return `${where}.${key} throws when read (${(error as Error)?.message ?? error})`
      }
      const found = visit(inner, `${where}.${key}`, depth + 1)
      if (found) return found
    }
    return undefined
  }
  return visit(value, path, 0)
}
