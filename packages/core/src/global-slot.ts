/**
 * A value that must be one per thread even when two copies of core are loaded (a CommonJS
 * library and an ESM app resolving different installs, or a tasks module importing its own copy):
 * kept on `globalThis` under a registered symbol.
 */
export function globalSlot<T>(name: string, create: () => T): T {
  const key = Symbol.for(name)
  const slots = globalThis as Record<symbol, unknown>
  if (!(key in slots)) slots[key] = create()
  return slots[key] as T
}
