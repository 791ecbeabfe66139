// The caller's side of the thread floor: write the request into the shared buffer, flip the
// state, and spin (up to spinMs.caller; or at once, in wait mode) then sleep in Atomics.wait until
// the host flips it back.
import { Buffer } from 'node:buffer'
import { Worker } from 'node:worker_threads'
import { measure, readValue, taskIndex, writeValue } from './codec.js'
import { areaBytes, headerBytes, Slot, State, spinMs } from './thread-layout.js'

const hostFile = new URL('./thread-host.mjs', import.meta.url)

/**
 * @param {URL} tasksUrl
 * @param {'spin' | 'wait'} mode
 * @param {number} deadlineMs  a call that takes longer throws (the host died or hangs)
 */
export function openThreadFloor(tasksUrl, mode, deadlineMs = 30_000) {
  const buffer = new SharedArrayBuffer(headerBytes + areaBytes)
  const header = new Int32Array(buffer, 0, headerBytes / 4)
  const area = Buffer.from(buffer, headerBytes)
  header[Slot.state] = State.reply
  const worker = new Worker(hostFile, { workerData: { buffer, mode, tasksUrl: tasksUrl.href } })
  worker.unref()

  function awaitReply() {
    if (mode === 'spin') {
      const spinUntil = performance.now() + spinMs.caller
      for (let i = 1; Atomics.load(header, Slot.state) !== State.reply; i++) {
        if ((i & 255) === 0 && performance.now() > spinUntil) break
      }
      if (Atomics.load(header, Slot.state) === State.reply) return
    }
    // A wake-up proves nothing (a notify meant for an earlier call can land late): check the state.
    const until = performance.now() + deadlineMs
    while (Atomics.load(header, Slot.state) !== State.reply) {
      const left = until - performance.now()
      if (left <= 0) throw new Error(`floor-thread: no reply within ${deadlineMs} ms`)
      Atomics.store(header, Slot.callerAsleep, 1)
      Atomics.wait(header, Slot.state, State.request, left)
      Atomics.store(header, Slot.callerAsleep, 0)
    }
  }

  /** @param {number} task @param {unknown} value */
  function send(task, value) {
    const shape = measure(value)
    writeValue(area, 0, value, shape)
    header[Slot.task] = task
    header[Slot.tag] = shape.tag
    header[Slot.length] = shape.length
    Atomics.store(header, Slot.state, State.request)
    if (Atomics.load(header, Slot.hostAsleep) === 1) Atomics.notify(header, Slot.state)
  }

  return {
    /** The shared buffer, for tests that disturb the channel. */
    buffer,
    /** @param {string} name @param {unknown} arg */
    call(name, arg) {
      send(taskIndex(name), arg)
      awaitReply()
      return readValue(area, 0, header[Slot.tag], header[Slot.length])
    },
    close() {
      send(-1, 0)
      void worker.terminate()
    },
  }
}
