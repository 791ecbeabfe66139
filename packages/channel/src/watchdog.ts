import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads'
import { headerSlots, hostDead, kDoorbell, kHostState } from './layout.js'

/**
 * A host may die without a word (OOM, `terminate()`): no exit hook rings the caller's doorbell.
 * Its 'exit' event tells the caller's thread whenever its event loop runs; but a caller blocked in
 * `Atomics.wait` hears nothing. So a wait that sleeps long hands a port entangled with one the
 * host holds to a small watchdog thread, shared by every channel of this thread: the port closes
 * when the host dies, and the watchdog marks the channel dead and rings.
 *
 * Started only then, not with the first runner: a thread's start-up costs as much as the host's
 * own, and the two would share the cores while the caller waits for its first result.
 */
let watchdog: Worker | undefined
/** Channels handed to the watchdog and not yet closed; at 0 it is ended (and started on demand). */
let watchedHosts = 0

/** Mark the channel's host dead and wake a caller sleeping on its doorbell (as `source` does). */
function markDead(header: Int32Array): void {
  Atomics.store(header, kHostState, hostDead)
  Atomics.add(header, kDoorbell, 1)
  Atomics.notify(header, kDoorbell)
}

const source = `
const { parentPort } = require('node:worker_threads')
const kDoorbell = ${kDoorbell}, kHostState = ${kHostState}, hostDead = ${hostDead}
parentPort.on('message', ({ buffer, port }) => {
  const header = new Int32Array(buffer, 0, ${headerSlots})
  port.on('message', () => {})
  port.on('close', () => {
    Atomics.store(header, kHostState, hostDead)
    Atomics.add(header, kDoorbell, 1)
    Atomics.notify(header, kDoorbell)
  })
})
`

/**
 * One host's death watch: the host thread's 'exit' event on the caller's thread, heard whenever
 * its event loop runs, until a long wait hands the watch to the watchdog thread.
 */
export class HostWatch {
  /** Port the host must keep for its life, and never use: its closing is the signal. */
  readonly hostPort: MessagePort
  readonly #header: Int32Array
  #port: MessagePort | undefined
  #handedOver = false

  /** `buffer`: the channel's header alone (see ChannelBuffer), all the watchdog needs to hold. */
  constructor(readonly buffer: SharedArrayBuffer) {
    const { port1, port2 } = new MessageChannel()
    this.#header = new Int32Array(buffer, 0, headerSlots)
    this.#port = port1
    this.hostPort = port2
    port1.unref()
  }

  /** Start watching `host`, the thread that holds `hostPort`. */
  watch(host: Worker): void {
    host.once('exit', () => {
      if (!this.#handedOver) markDead(this.#header)
    })
  }

  /**
   * The caller is about to sleep on, deaf to the host's 'exit': the watchdog watches from now
   * on. A port whose twin has already closed still reports it once it arrives there.
   */
  handOver(): void {
    if (this.#handedOver || !this.#port) return
    this.#handedOver = true
    watchdog ??= new Worker(source, { eval: true, execArgv: [], stdout: false, stderr: false })
    watchdog.unref()
    watchedHosts++
    watchdog.postMessage({ buffer: this.buffer, port: this.#port }, [this.#port])
    this.#port = undefined
  }

  /**
   * The caller is done with the channel. With no channel left the watchdog thread is ended, so
   * nothing of palitra's outlives the last runner; not at once but when this thread's loop next
   * turns, so a loop that closes one runner and creates the next reuses the thread.
   */
  end(): void {
    this.#port?.close()
    this.#port = undefined
    if (!this.#handedOver) return
    watchedHosts--
    if (watchedHosts > 0) return
    setImmediate(() => {
      if (watchedHosts > 0 || !watchdog) return
      void watchdog.terminate()
      watchdog = undefined
    }).unref()
  }
}
