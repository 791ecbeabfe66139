import type { HostRequest } from '@palitra/core'
import type { AbortNote } from '@palitra/core/backend'

/** Relay to child. */
export type ToChild =
  | { readonly id: number; readonly request: HostRequest }
  | ({ readonly abort: number } & AbortNote)

/** Child to relay. `stderrBytes`: how much the child had written to stderr when it answered. */
export type FromChild =
  | {
      readonly id: number
      readonly ok: true
      readonly value?: unknown
      readonly stderrBytes: number
    }
  | {
      readonly id: number
      readonly ok: false
      readonly error: unknown
      readonly stderrBytes: number
    }
