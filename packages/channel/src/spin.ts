/** How long each side busy-waits before it sleeps. Spinning turns a thread wake-up into a
 * hand-over of one cache line in tight loops; it is bounded and adapts, so an idle runner burns nothing. */
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
 * Spin budget that learns only from what spinning itself saw: a spin that got its answer is a
 * hit, a full spin that ended empty is a miss. (Timing whole waits instead would count one's own
 * wake-up after sleeping, and once asleep a side would never spin again.) After a few misses in
 * a row it stops spinning, trying a full spin again every 16th wait to notice when things speed up.
 */
export class AdaptiveSpin {
  #misses = 0
  #waits = 0
  constructor(readonly max: number) {}

  /** How long to spin for this wait, in µs. */
  budget(): number {
    if (this.max === 0) return 0
    if (this.#misses < missesBeforeSleeping) return this.max
    return ++this.#waits % probeEvery === 0 ? this.max : 0
  }

  /** What the spin of `budgetMicros` ended with. */
  record(answered: boolean, budgetMicros: number): void {
    if (answered) this.#misses = 0
    else if (budgetMicros === this.max) this.#misses++
  }
}

const missesBeforeSleeping = 3
const probeEvery = 16
