import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads'
import { headerSlots, hostDead, kDoorbell, kHostState } from './layout.js'

/**
 * A caller blocked in `Atomics.wait` cannot see a Worker's 'exit' event, and a host killed by OOM
 * or `terminate()` runs no exit hook. So one small watchdog thread per calling thread holds a port
 * entangled with each host's: when a host dies for any reason its port closes, and the watchdog
 * marks the channel dead and rings the caller's doorbell.
 */
let watchdog: Worker | undefined
/** Channels whose host the watchdog still watches; at 0 it is ended (and started again on demand). */
let watchedHosts = 0

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
 * Returns the port the host must keep; the watchdog gets its twin. `buffer` is the channel's
 * header alone (see ChannelBuffer). Pair with `unwatchHost`.
 */
export function watchHost(buffer: SharedArrayBuffer): MessagePort {
  watchdog ??= new Worker(source, { eval: true, execArgv: [], stdout: false, stderr: false })
  // Never keeps the caller's process alive.
  watchdog.unref()
  watchedHosts++
  const { port1, port2 } = new MessageChannel()
  watchdog.postMessage({ buffer, port: port1 }, [port1])
  return port2
}

/**
 * The caller is done with one watched channel. With none left the watchdog thread is ended, so
 * nothing of palitra's outlives the last runner; not at once but when this thread's loop next
 * turns, so a loop that closes one runner and creates the next reuses the thread.
 */
export function unwatchHost(): void {
  watchedHosts--
  if (watchedHosts > 0) return
  setImmediate(() => {
    if (watchedHosts > 0 || !watchdog) return
    void watchdog.terminate()
    watchdog = undefined
  }).unref()
}
