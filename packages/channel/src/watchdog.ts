import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads'
import { headerSlots, hostDead, kDoorbell, kHostState } from './layout.js'

/**
 * A caller blocked in `Atomics.wait` cannot see a Worker's 'exit' event, and a host killed by OOM
 * or `terminate()` runs no exit hook. So one small watchdog thread per calling thread holds a port
 * entangled with each host's: when a host dies for any reason its port closes, and the watchdog
 * marks the channel dead and rings the caller's doorbell.
 */
let watchdog: Worker | undefined

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

/** Returns the port the host must keep; the watchdog gets its twin. */
export function watchHost(buffer: SharedArrayBuffer): MessagePort {
  watchdog ??= new Worker(source, { eval: true, execArgv: [], stdout: false, stderr: false })
  // Never keeps the caller's process alive.
  watchdog.unref()
  const { port1, port2 } = new MessageChannel()
  watchdog.postMessage({ buffer, port: port1 }, [port1])
  return port2
}
