/**
 * What runs in every pooled host, whatever carries it (a tinypool worker thread or child
 * process): one instance of the tasks module beside core's task host, and the body of a pool
 * task. A task serves one request; if that request opens an iterator, the task stays running
 * (holding its host) and serves the iterator's steps over its link until the iterator finishes.
 */
import { cloneFromBytes, cloneToBytes } from '@palitra/channel'
import type { HostRequest } from '@palitra/core'
import {
  CallScope,
  createTaskHost,
  encodeThrown,
  errors,
  iteratorHandleTag,
  type Reply,
  type TaskHost,
} from '@palitra/core/backend'
import { bytesFromIpc, bytesToIpc, type IpcBytes } from './ipc.js'
import type { FinalReply, FromHost, HostTask, ToHost } from './messages.js'

/** A task's two-way link to the relay. */
export interface HostLink {
  /** Throws (having sent nothing) when the message cannot be cloned. */
  send(message: FromHost): void
  onMessage(listener: (message: ToHost) => void): void
  close(): void
}

let host: TaskHost | undefined
let loaded: Promise<void> | undefined
let teardownGraceMs = 5_000
/** Tasks holding an open iterator: teardown ends them. */
const openTasks = new Set<() => void>()

function taskHost(task: HostTask): TaskHost {
  if (!host) {
    if (task.cwd !== undefined) process.chdir(task.cwd)
    host = createTaskHost(task.moduleUrl, { backend: task.backend })
  }
  return host
}

/** Load the module once per host (a replacement host has never seen the runner's `load`). */
function ensureLoaded(served: TaskHost): Promise<void> {
  loaded ??= served.handle({ op: 'load' }, new CallScope()).then(() => undefined)
  // A module that failed to load fails every call on this host, as on a single host.
  return loaded
}

function replyOf(value: unknown): Reply {
  return value === undefined ? { ok: true } : { ok: true, value }
}

function failure(error: unknown): Reply {
  return { ok: false, error: encodeThrown(error) }
}

/**
 * A reply whose value (or error) cannot cross becomes ERR_PALITRA_SERIALIZE, checked before it
 * is handed to tinypool: its own send of a task's result is outside any catch, and a failure
 * there would take the host down.
 */
function crossable(reply: Reply, backend: string): Reply {
  const direction = reply.ok ? 'result' : 'error'
  const value = reply.ok ? reply.value : reply.error
  const refused = errors.unsendable({ backend, direction, value, acrossProcesses })
  return refused ? failure(refused) : reply
}

/** Replies go to another process (a child host): shared memory cannot follow them. */
let acrossProcesses = false

export function repliesCrossProcesses(): void {
  acrossProcesses = true
}

function iteratorId(reply: Reply): number | undefined {
  if (!reply.ok || typeof reply.value !== 'object' || reply.value === null) return undefined
  const id = (reply.value as Record<string, number>)[iteratorHandleTag]
  // Id 0 wraps a task's own result that carries the tag (core's lookalikeHandle): a value.
  return id === 0 ? undefined : id
}

/** A reply as it travels: to a child's parent, as structured-clone bytes in the IPC's form. */
function wire(reply: Reply, task: HostTask): Reply | IpcBytes {
  if (!acrossProcesses) return reply
  const { backend } = task
  const serialization = task.ipc ?? 'advanced'
  try {
    return bytesToIpc(cloneToBytes(reply), serialization)
  } catch (cause) {
    const direction = reply.ok ? 'result' : 'error'
    const value = reply.ok ? reply.value : reply.error
    const refused = failure(errors.serialize({ backend, direction, value, cause, acrossProcesses }))
    return bytesToIpc(cloneToBytes(refused), serialization)
  }
}

/** The body of every pool task: serve `task.request`, then its iterator's steps, if it opened one. */
export async function serveTask(task: HostTask, link: HostLink): Promise<FinalReply> {
  const served = taskHost(task)
  teardownGraceMs = task.teardownGraceMs
  const scopes = new Map<number, CallScope>()
  const queued: Extract<ToHost, { step: number }>[] = []
  let wake: (() => void) | undefined
  let ended = false

  link.onMessage((message) => {
    if ('abort' in message) {
      scopes.get(message.abort)?.abort(
        errors.timeout({
          what: message.what,
          timeoutMs: message.timeoutMs,
          backend: task.backend,
        }),
      )
      return
    }
    queued.push(message)
    wake?.()
  })

  const run = async (step: number, request: HostRequest): Promise<Reply> => {
    const scope = new CallScope()
    scopes.set(step, scope)
    try {
      if (request.op === 'load') {
        await ensureLoaded(served)
        return { ok: true }
      }
      await ensureLoaded(served)
      return crossable(replyOf(await served.handle(request, scope)), task.backend)
    } catch (error) {
      return crossable(failure(error), task.backend)
    } finally {
      scopes.delete(step)
    }
  }

  /** Send a reply that keeps the task open; false when it could not be sent (the task ends). */
  const sendOpen = (step: number, reply: Reply): boolean => {
    try {
      link.send({ step, reply: wire(reply, task) })
      return true
    } catch (cause) {
      const value = reply.ok ? reply.value : reply
      const error = errors.serialize({ backend: task.backend, direction: 'result', value, cause })
      try {
        link.send({ step, reply: failure(error) })
      } catch {}
      return false
    }
  }

  const nextStep = () =>
    new Promise<Extract<ToHost, { step: number }> | undefined>((resolve) => {
      const take = () => {
        if (ended) return resolve(undefined)
        const message = queued.shift()
        if (!message) return
        wake = undefined
        resolve(message)
      }
      wake = take
      take()
    })

  const end = () => {
    ended = true
    wake?.()
  }

  const own =
    task.requestBytes === undefined
      ? task.request!
      : (cloneFromBytes(bytesFromIpc(task.requestBytes)) as HostRequest)
  try {
    const first = await run(0, own)
    const iterator = iteratorId(first)
    if (iterator === undefined) return { step: 0, reply: wire(first, task) }
    if (!sendOpen(0, first)) return { step: -1, reply: { ok: true } }
    openTasks.add(end)
    for (;;) {
      const message = await nextStep()
      if (!message) return { step: -1, reply: { ok: true } }
      // The relay numbers iterators across hosts; this host knows its own.
      const request = { ...message.request, iterator } as HostRequest
      const reply = await run(message.step, request)
      const finished =
        request.op === 'return' ||
        !reply.ok ||
        (reply.value as IteratorResult<unknown> | undefined)?.done === true
      if (finished) return { step: message.step, reply: wire(reply, task) }
      if (!sendOpen(message.step, reply)) return { step: -1, reply: { ok: true } }
    }
  } finally {
    openTasks.delete(end)
    link.close()
  }
}

/** tinypool's `teardown` task: the module's `teardown` export (bounded), then open iterators end. */
export async function teardownHost(): Promise<void> {
  if (!host) return
  try {
    await host.handle({ op: 'teardown', graceMs: teardownGraceMs }, new CallScope())
  } finally {
    for (const end of openTasks) end()
  }
}
