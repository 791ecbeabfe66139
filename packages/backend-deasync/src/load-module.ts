import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

type TaskModule = Record<string, unknown>

/**
 * Load the tasks module so that it is the very instance the application imports: `require()` of
 * an ES module (Node >= 20.19) shares the ESM cache and is synchronous. A module with top-level
 * await cannot be required; it is imported instead (the wait pumps the loop like any call).
 */
export function loadTaskModule(moduleUrl: string): Promise<TaskModule> {
  try {
    return Promise.resolve(createRequire(moduleUrl)(fileURLToPath(moduleUrl)) as TaskModule)
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_REQUIRE_ASYNC_MODULE') {
      return import(moduleUrl) as Promise<TaskModule>
    }
    return Promise.reject(error)
  }
}
