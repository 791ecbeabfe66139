// The backends by name, for scripts and fixtures that take one on the command line.
import { deasyncBackend } from '@palitra/backend-deasync'
import { subprocessBackend } from '@palitra/backend-subprocess'
import { workerBackend } from '@palitra/backend-worker'

const factories = { worker: workerBackend, subprocess: subprocessBackend, deasync: deasyncBackend }

export const backendNames = Object.keys(factories)

export function backendByName(name, options) {
  const factory = factories[name]
  if (!factory) throw new Error(`unknown backend "${name}" (one of ${backendNames.join(', ')})`)
  return factory(options)
}

/** Backends whose host is another thread or process: the ones that can leave threads or children. */
export const outOfProcess = (name) => name !== 'deasync'
