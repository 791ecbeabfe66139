/**
 * The tinypool task module of a worker-thread pool: each of tinypool's threads imports it once,
 * so each has its own task host and tasks module. A task's link is the MessagePort it brings.
 */
import { threadId } from 'node:worker_threads'
import { writeStdioStraightToFds } from '@palitra/channel'
import { type HostLink, serveTask, teardownHost } from './host-common.js'
import type { FinalReply, HostTask } from './messages.js'

// Task output in order and before the call returns, as on a single worker (see sync-stdio).
writeStdioStraightToFds()

export default function serve(task: HostTask): Promise<FinalReply> {
  const port = task.port!
  // Which thread runs the task: the relay needs it to replace a runaway's thread.
  if (task.hostSlot) Atomics.store(task.hostSlot, 0, threadId)
  const link: HostLink = {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    close: () => port.close(),
  }
  return serveTask(task, link)
}

export const teardown = teardownHost
