import type { BatchAnswer, BatchSettlement, HostRequest } from '../contract.js'
import { CallScope } from '../scope.js'

export type BatchRequest = Extract<HostRequest, { op: 'batch' }>

/** What the task host lends a batch: how to start one call, and how answers cross. */
export interface BatchCalls {
  /** Start one call of the batch in its own scope; rejects with the task's (or palitra's) error. */
  start(name: string, args: readonly unknown[], scope: CallScope): Promise<unknown>
  /** Why a fulfilled value cannot cross back to the caller, as the error to settle with instead. */
  refuse(value: unknown, index: number): Error | undefined
  /** An error as it goes into the answer. */
  encodeError(error: unknown): unknown
}

/**
 * Run a batch on this event loop: up to `concurrency` calls at once, each with its own scope whose
 * signal aborts when the batch's does (its timeout, the runner closing). In `all` mode the first
 * rejection stops new calls and aborts the running ones; the answer waits `abortGrace` for them to
 * settle, so nothing of the batch is left running behind it, or says they are runaways.
 * The batch's own abort rejects it with the abort's reason once every running call has settled.
 */
export function runBatch(request: BatchRequest, scope: CallScope, calls: BatchCalls) {
  const { mode } = request
  const total = request.calls.length
  const limit = Math.min(request.concurrency ?? total, total)
  const values: unknown[] = new Array(total)
  const running = new Map<number, CallScope>()
  let next = 0
  let failure: { index: number; error: unknown } | undefined
  let aborted: { reason: unknown } | undefined
  let answered = false
  let graceTimer: NodeJS.Timeout | undefined

  return new Promise<BatchAnswer>((resolve, reject) => {
    const answer = (body: BatchAnswer | undefined, rejection?: unknown) => {
      if (answered) return
      answered = true
      clearTimeout(graceTimer)
      if (body) resolve(body)
      else reject(rejection)
    }

    const finishIfDone = () => {
      if (running.size > 0) return
      if (aborted) return answer(undefined, aborted.reason)
      if (failure) {
        return answer({
          failed: failure.index,
          error: calls.encodeError(failure.error),
          runaway: false,
        })
      }
      if (next < total) return
      answer(mode === 'all' ? { values } : { settled: values as BatchSettlement[] })
    }

    const abortRunning = (reason: unknown) => {
      for (const child of running.values()) child.abort(reason)
    }

    const settle = (index: number, ok: boolean, outcome: unknown) => {
      if (!running.delete(index) || answered) return
      if (ok) {
        const refused = calls.refuse(outcome, index)
        if (refused) {
          ok = false
          outcome = refused
        }
      }
      if (mode === 'allSettled') {
        values[index] = ok
          ? { status: 'fulfilled', value: outcome }
          : { status: 'rejected', reason: calls.encodeError(outcome) }
      } else if (ok) {
        values[index] = outcome
      } else if (!failure && !aborted) {
        failure = { index, error: outcome }
        const [name] = request.calls[index]!
        abortRunning(
          new DOMException(
            `aborted: call #${index} of the batch ("${name}") failed first`,
            'AbortError',
          ),
        )
        if (running.size > 0) {
          const first = failure
          graceTimer = setTimeout(() => {
            answer({ failed: first.index, error: calls.encodeError(first.error), runaway: true })
          }, request.abortGrace)
        }
      }
      launch()
    }

    const launch = () => {
      while (running.size < limit && next < total && !failure && !aborted) {
        const index = next++
        const child = new CallScope()
        running.set(index, child)
        const entry = request.calls[index]!
        calls.start(entry[0], entry.slice(1), child).then(
          (value) => settle(index, true, value),
          (error) => settle(index, false, error),
        )
      }
      finishIfDone()
    }

    // Aborted before it began (the runner closing): nothing starts.
    if (scope.signal.aborted) return reject(scope.signal.reason)
    scope.signal.addEventListener(
      'abort',
      () => {
        aborted = { reason: scope.signal.reason }
        // Past the batch's deadline the session judges runaways itself (no answer in time).
        clearTimeout(graceTimer)
        abortRunning(scope.signal.reason)
        finishIfDone()
      },
      { once: true },
    )
    launch()
  })
}

/** A batch in error messages: `a batch of 3 calls ("fetchPage", "inc")`. */
export function describeBatch(request: BatchRequest): string {
  const names = [...new Set(request.calls.map((call) => call[0]))]
  const shown = names.slice(0, 3).map((name) => JSON.stringify(name))
  if (names.length > 3) shown.push('...')
  const count = request.calls.length
  return `a batch of ${count} call${count === 1 ? '' : 's'} (${shown.join(', ')})`
}
