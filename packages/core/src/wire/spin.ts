/** How long each side busy-waits before it sleeps. Spinning turns a ~45 µs thread wake-up into a
 * sub-microsecond hand-over in tight loops; it is bounded and adapts, so an idle runner burns nothing. */
export interface SpinPolicy {
  /** Longest the caller busy-waits for a reply before sleeping, in µs. Default: 50. */
  caller?: number
  /** Longest the host busy-waits for the next request after a reply, in µs. Default: 500. */
  host?: number
}

export const defaultSpin: Required<SpinPolicy> = Object.freeze({ caller: 50, host: 500 })

export function resolveSpin(spin: SpinPolicy | false | undefined): Required<SpinPolicy> {
  if (spin === false) return { caller: 0, host: 0 }
  return { ...defaultSpin, ...spin }
}

/**
 * Spin budget that follows what it observes: spin up to `max` while waits have recently ended
 * within it; once they keep running past it (slow tasks, an idle caller), stop spinning.
 */
export class AdaptiveSpin {
  /** Exponential moving average of observed waits, in µs. */
  #average = 0
  constructor(readonly max: number) {}

  budget(): number {
    if (this.max === 0) return 0
    return this.#average <= this.max ? this.max : Math.min(this.max, 5)
  }

  observe(waitedMicros: number): void {
    this.#average = this.#average * 0.75 + Math.min(waitedMicros, this.max * 4) * 0.25
  }
}
