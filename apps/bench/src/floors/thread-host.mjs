// The thread floor's worker: wait for a request in the shared buffer, run the task, write the
// reply. Nothing else: no framing, no ids, no timeouts, no death watch. In `spin` mode it spins
// for the next request (up to spinMs.host, then sleeps, so an idle floor burns no core while the
// other subjects run); in `wait` mode both sides sleep in Atomics.wait and wake each other, two
// thread wake-ups a call. Either side notifies the other only when its flag says it sleeps.
import { Buffer } from 'node:buffer'
import { workerData } from 'node:worker_threads'
import { errorText, measure, readValue, Tag, taskNames, writeValue } from './codec.js'
import { headerBytes, Slot, State, spinMs } from './thread-layout.js'

/** @type {{ buffer: SharedArrayBuffer, mode: 'spin' | 'wait', tasksUrl: string }} */
const { buffer, mode, tasksUrl } = workerData
const header = new Int32Array(buffer, 0, headerBytes / 4)
const area = Buffer.from(buffer, headerBytes)
const tasks = await import(tasksUrl)

function nextRequest() {
  if (mode === 'spin') {
    const until = performance.now() + spinMs.host
    for (let i = 1; Atomics.load(header, Slot.state) !== State.request; i++) {
      if ((i & 255) === 0 && performance.now() > until) break
    }
    if (Atomics.load(header, Slot.state) === State.request) return
  }
  // Sleep only while it is still the caller's turn; the caller notifies when it sees the flag. A
  // wake-up proves nothing (a notify meant for an earlier turn can land late): check the state.
  while (Atomics.load(header, Slot.state) !== State.request) {
    Atomics.store(header, Slot.hostAsleep, 1)
    Atomics.wait(header, Slot.state, State.reply)
    Atomics.store(header, Slot.hostAsleep, 0)
  }
}

/** @param {unknown} value @param {number} [tag] */
function reply(value, tag) {
  const shape =
    tag === Tag.error ? { tag, length: Buffer.byteLength(String(value)) } : measure(value)
  writeValue(area, 0, value, shape)
  header[Slot.tag] = shape.tag
  header[Slot.length] = shape.length
  Atomics.store(header, Slot.state, State.reply)
  if (Atomics.load(header, Slot.callerAsleep) === 1) Atomics.notify(header, Slot.state)
}

for (;;) {
  nextRequest()
  if (header[Slot.task] === -1) break
  try {
    const arg = readValue(area, 0, header[Slot.tag], header[Slot.length])
    reply(await tasks[taskNames[header[Slot.task]]](arg))
  } catch (error) {
    reply(errorText(error), Tag.error)
  }
}
// The keep-alive agent's socket would hold the thread open.
process.exit(0)
