import { PalitraError } from '@palitra/core'

const backend = 'deasync'

export function contextError(what: string): PalitraError {
  return new PalitraError(
    'ERR_PALITRA_CONTEXT',
    `cannot block for ${what} inside a microtask (a .then callback, code after an await, or ESM top-level code): no promise can settle until it returns, so the wait would never end. Call from synchronous code or a macrotask (an event handler, a timer or setImmediate callback), or use the worker backend (@palitra/backend-worker), which works here.`,
    { backend },
  )
}

export function nestedWaitError(what: string, outer: string): PalitraError {
  return new PalitraError(
    'ERR_PALITRA_DEADLOCK',
    `cannot block for ${what}: this thread is already blocked waiting for ${outer}, and this call came from a callback that ran during that wait. The libuv loop cannot be run re-entrantly, so a nested wait could never be relied on to end. Make this call outside that wait, or use the worker backend (@palitra/backend-worker).`,
    { backend },
  )
}

export function timeoutError(what: string, timeoutMs: number): PalitraError {
  return new PalitraError(
    'ERR_PALITRA_TIMEOUT',
    `${what} did not finish within ${timeoutMs} ms; its AbortSignal was aborted (an in-process task that ignores it cannot be stopped, and goes on in the background)`,
    { backend, timeout: timeoutMs },
  )
}

export function unavailableError(reason: string): PalitraError {
  return new PalitraError('ERR_PALITRA_UNAVAILABLE', reason, { backend })
}

export function invalidArgument(message: string): PalitraError {
  return new PalitraError('ERR_PALITRA_INVALID_ARGUMENT', message, { backend })
}
