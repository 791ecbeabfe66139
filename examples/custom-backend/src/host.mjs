/** The worker thread: core's task host and serve loop over a message port. */
import { workerData } from 'node:worker_threads'
import { createTaskHost, serveHost } from '@palitra/core/backend'

const { moduleUrl, port, state } = workerData

/** @type {import('@palitra/core/backend').HostTransport} */
const transport = {
  listen(onRequest, onAbort) {
    port.on('message', (message) => {
      if ('abort' in message) onAbort(message.abort, message)
      else onRequest(message.id, () => message.request)
    })
  },
  reply(id, reply) {
    port.postMessage({ id, reply })
    Atomics.add(state, 0, 1)
    Atomics.notify(state, 0)
  },
  holdLoop(hold) {
    if (hold) port.ref()
    else port.unref()
  },
}

// A caller blocked in Atomics.wait cannot see the 'exit' event: the host says so itself.
process.on('exit', (code) => {
  Atomics.store(state, 2, code ?? 0)
  Atomics.store(state, 1, 1)
  Atomics.notify(state, 0)
})

serveHost(createTaskHost(moduleUrl, { backend: 'plain-worker' }), transport, {
  backend: 'plain-worker',
  hostKind: 'worker thread',
})
