/**
 * A complete palitra backend built from the published contract alone (`@palitra/core` and
 * `@palitra/core/backend`): tasks run in a plain worker thread, requests and replies travel by
 * `postMessage`, and the caller sleeps in `Atomics.wait` until the host bumps a counter. No spin,
 * no shared-buffer codec: slower per call than `@palitra/backend-worker`, and about 100 lines.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { decodeThrown, describeRequest, errors } from '@palitra/core/backend'

const hostKind = 'worker thread'
const backend = 'plain-worker'
/** Slots of the shared Int32Array: replies sent, host dead, its exit code. */
const kReplies = 0
const kDead = 1
const kExitCode = 2

/** @type {import('@palitra/core').BackendFactory} */
export const plainWorkerBackend = () => ({
  name: backend,
  capabilities: Object.freeze({
    inProcess: false,
    closures: false,
    serializes: true,
    isolation: 'thread',
    transferables: false,
    worksInMicrotask: true,
    restartsAfterCrash: true,
    ownFlags: false,
    parallel: false,
  }),
  unavailableReason: () =>
    typeof Atomics.wait === 'function' ? undefined : 'this runtime has no Atomics.wait',
  createSession: ({ moduleUrl, options }) => createSession(moduleUrl, options.abortGrace),
})

/** @returns {import('@palitra/core').Session} */
function createSession(moduleUrl, abortGrace) {
  const state = new Int32Array(new SharedArrayBuffer(12))
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(new URL('./host.mjs', import.meta.url), {
    workerData: { moduleUrl, port: port2, state },
    transferList: [port2],
  })
  worker.unref()
  port1.unref()
  let nextId = 0
  let stopped = false
  const dead = () => stopped || Atomics.load(state, kDead) === 1
  const stop = () => {
    stopped = true
    void worker.terminate()
    port1.close()
  }

  /** Block until reply `id` arrives, the host dies, or the deadline passes. */
  const wait = (id, deadline) => {
    for (;;) {
      const seen = Atomics.load(state, kReplies)
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
        if (m.message.id === id) return m.message.reply
      }
      if (Atomics.load(state, kDead) === 1) return 'dead'
      const remaining = deadline - performance.now()
      if (remaining <= 0) return 'timeout'
      Atomics.wait(
        state,
        kReplies,
        seen,
        remaining === Number.POSITIVE_INFINITY ? undefined : remaining,
      )
    }
  }

  const crashed = (request) => {
    stop()
    const report = { exitCode: Atomics.load(state, kExitCode), reason: 'the worker exited' }
    return errors.crashed({ backend, hostKind, what: describeRequest(request), report })
  }

  return {
    request(request, timeoutMs) {
      if (dead()) throw crashed(request)
      const id = ++nextId
      try {
        port1.postMessage({ id, request })
      } catch (cause) {
        const [direction, value] =
          request.op === 'batch' ? ['calls', request.calls] : ['args', request.args]
        throw errors.serialize({ backend, hostKind, direction, value, cause })
      }
      let reply = wait(id, performance.now() + timeoutMs)
      if (reply === 'timeout') {
        const what = describeRequest(request)
        port1.postMessage({ abort: id, what, timeoutMs })
        reply = wait(id, performance.now() + abortGrace)
        const replaced = typeof reply !== 'object'
        if (replaced) stop()
        const cause = replaced || reply.ok ? undefined : decodeThrown(reply.error)
        throw errors.timeout({ backend, hostKind, what, timeoutMs, replaced, cause })
      }
      if (reply === 'dead') throw crashed(request)
      if (!reply.ok) throw decodeThrown(reply.error, new Error().stack)
      // A batch whose aborted calls ignored their signal: replace the host they keep busy.
      if (request.op === 'batch' && reply.value.runaway) stop()
      return reply.value
    },
    alive: () => !dead(),
    close(graceMs) {
      try {
        if (!dead()) this.request({ op: 'teardown', graceMs }, graceMs + 1_000)
      } catch {
        // Closing never throws; a failed teardown has said so on stderr.
      }
      stop()
    },
  }
}
