import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { types } from 'node:util'

type TaskModule = Record<string, unknown>

/** `require()` cannot take these modules; `import()` can (the wait pumps the loop meanwhile). */
const importInstead = new Set([
  'ERR_REQUIRE_ASYNC_MODULE', // top-level await
  'ERR_REQUIRE_ESM', // require(esm) switched off (--no-experimental-require-module)
  'ERR_REQUIRE_CYCLE_MODULE', // the module is being imported right now
  'ERR_UNKNOWN_FILE_EXTENSION',
])

/**
 * TypeScript goes through `require()` only where Node strips types itself and no require hook
 * claims the extension. Elsewhere `require()` would parse it as CommonJS JavaScript (a misleading
 * SyntaxError), or a loader's require hook would compile a second copy of the module beside the
 * one its import hook gives the application.
 */
function requireTakes(file: string): boolean {
  const extension = path.extname(file)
  if (!/^\.[cm]?ts$/.test(extension)) return true
  const require = createRequire(file)
  const stripsTypes = (process.features as { typescript?: unknown }).typescript
  return Boolean(stripsTypes) && !(extension in require.extensions)
}

/**
 * Load the tasks module so that it is the very instance the application imports. `require()` of
 * an ES module (Node >= 20.19) reads and fills the same module cache as `import()`, synchronously.
 * Where it cannot (top-level await, ...), `import()` loads it while the wait pumps the loop.
 */
export function loadTaskModule(moduleUrl: string): Promise<TaskModule> {
  const file = moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : undefined
  if (file === undefined || !requireTakes(file)) return import(moduleUrl)
  let exports: unknown
  try {
    exports = createRequire(file)(file)
  } catch (error) {
    const code = (error as { code?: unknown })?.code
    if (typeof code === 'string' && importInstead.has(code)) return import(moduleUrl)
    return Promise.reject(error)
  }
  // CommonJS: `import()` gives the namespace other backends see (named exports and `default`),
  // built from the module.exports that require() just cached, so it runs nothing twice.
  if (!types.isModuleNamespaceObject(exports)) return import(moduleUrl)
  return Promise.resolve(exports as TaskModule)
}
