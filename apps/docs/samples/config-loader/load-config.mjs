// A synchronous config loader, for a tool whose startup code is sync (a CLI, a require hook).
import path from 'node:path'
import { syncFn } from '@palitra/core'

const loadConfig = syncFn(new URL('./load-config-task.mjs', import.meta.url), 'loadConfig')

export function loadConfigSync(file) {
  return loadConfig(path.resolve(file))
}
