import type { Backend, BackendName } from './contract.js'
import { globalSlot } from './global-slot.js'

/** Something the process-exit hook and `closeAllRunners` can close. */
export interface Closable {
  close(): void
}

/** Registry, default backend and open runners: one per thread, whichever copy of core runs. */
export interface ProcessState {
  defaultBackend: Backend | BackendName | undefined
  /** Every open runner, weakly, for `closeAllRunners` and the exit hook. */
  readonly openRunners: Set<WeakRef<Closable>>
  /** The `getRunner` registry: key -> runner, weakly. */
  readonly shared: Map<string, WeakRef<Closable>>
  /** Backends found by name, so `require` runs once per name. */
  readonly backendsByName: Map<string, Backend>
  exitHookInstalled: boolean
}

export const processState: ProcessState = globalSlot<ProcessState>('palitra.core.state.v1', () => ({
  defaultBackend: undefined,
  openRunners: new Set(),
  shared: new Map(),
  backendsByName: new Map(),
  exitHookInstalled: false,
}))
