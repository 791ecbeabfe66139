import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks'
import { MessageChannel, type MessagePort } from 'node:worker_threads'

/** Longest sleep between two looks at the deadline once timers are known to work. */
const maxSleepMs = 1_000
/** How late a helper timer may be before the timers are taken to be stuck. */
const lateMs = 2

interface Keepers {
  /** Referenced during a wait: `uv_run` then sleeps in the kernel instead of spinning. */
  readonly port: MessagePort
  /** A libuv timer of its own (not Node's JS timer handle): wakes the wait every ms. */
  readonly clock: IntervalHistogram
}

let keepers: Keepers | undefined

function createKeepers(): Keepers {
  const channel = new MessageChannel()
  // A port with a listener keeps the loop alive while referenced; the other end is kept so it
  // is never collected (which would close this one).
  channel.port1.on('message', () => {})
  channel.port1.unref()
  const clock = monitorEventLoopDelay({ resolution: 1 })
  return { port: Object.assign(channel.port1, { peer: channel.port2 }), clock }
}

/**
 * Keeps the event loop sleeping, not spinning, while a wait pumps it, and makes sure it wakes.
 *
 * - With no referenced handle, `uv_run` returns at once and the wait spins at 100% CPU: a
 *   referenced message port keeps the loop alive, so `uv_run` sleeps until I/O or a timer.
 * - All of Node's JS timers share one libuv timer, which Node re-arms after running a timer list.
 *   A wait inside a timer callback runs before that (`setTimeout(() => runner.call('sleep', 1),
 *   1)`): the task's timer joins the list Node is still walking, nothing re-arms the libuv timer,
 *   and the task would never wake. Node re-arms it when a timer creates a list of a new duration.
 *   So a helper timer is set; if it is late, the timers are stuck, and the next helper gets a
 *   duration of its own, until one fires: Node then walks every due list, the stuck one included.
 *   Until one has fired, a libuv timer of our own (an event loop delay monitor) wakes the wait
 *   every millisecond, so lateness is seen and the deadline kept.
 * - Once a helper fired, timers work: one helper at a time, backing off to a second, bounds
 *   how long the deadline can go unnoticed.
 */
export class KeepAlive {
  readonly #keepers: Keepers
  #timer: NodeJS.Timeout | undefined
  #due = 0
  #probeMs = 1
  #timersWork = false
  #sleepMs = 1
  readonly #fired = () => {
    this.#timer = undefined
    if (this.#timersWork) return
    this.#timersWork = true
    this.#keepers.clock.disable()
  }

  constructor() {
    keepers ??= createKeepers()
    this.#keepers = keepers
    this.#keepers.port.ref()
    this.#keepers.clock.enable()
    this.#set(this.#probeMs)
  }

  /** Before each turn of the loop: make sure it wakes within `remainingMs` (the deadline). */
  tend(remainingMs: number): void {
    const now = performance.now()
    if (!this.#timersWork) {
      if (now > this.#due + lateMs) {
        clearTimeout(this.#timer)
        this.#probeMs += 1
        this.#set(this.#probeMs)
      }
      return
    }
    if (this.#timer !== undefined && this.#due <= now + remainingMs + 1) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#set(Math.max(1, Math.min(this.#sleepMs, remainingMs)))
    this.#sleepMs = Math.min(this.#sleepMs * 2, maxSleepMs)
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#keepers.clock.disable()
    this.#keepers.port.unref()
  }

  #set(ms: number): void {
    this.#due = performance.now() + ms
    this.#timer = setTimeout(this.#fired, ms)
  }
}
