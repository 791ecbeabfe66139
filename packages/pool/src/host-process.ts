/**
 * The tinypool task module of a child-process pool: each child imports it once, so each has its
 * own task host and tasks module. A task's link is IPC messages tagged with its id (tinypool
 * passes messages it does not know to and from the task's `channel`).
 */
import { type HostLink, repliesCrossProcesses, serveTask, teardownHost } from './host-common.js'
import type { FinalReply, FromHost, HostTask, Started, Tagged, ToHost } from './messages.js'

// The parent is gone (even by SIGKILL: the kernel closes its end): never outlive it, even with
// timers or sockets of the tasks module keeping this loop alive.
process.on('disconnect', () => process.exit(0))
repliesCrossProcesses()

export default function serve(task: HostTask): Promise<FinalReply> {
  const send = (message: FromHost | Started) =>
    process.send!({ palitraTask: task.id, message } satisfies Tagged<FromHost | Started>)
  send({ started: process.pid })
  let listener: ((message: unknown) => void) | undefined
  const link: HostLink = {
    send,
    onMessage: (deliver) => {
      listener = (message) => {
        const tagged = message as Tagged<ToHost> | undefined
        if (tagged?.palitraTask === task.id) deliver(tagged.message)
      }
      process.on('message', listener)
    },
    close: () => {
      if (listener) process.off('message', listener)
    },
  }
  return serveTask(task, link)
}

export const teardown = teardownHost
