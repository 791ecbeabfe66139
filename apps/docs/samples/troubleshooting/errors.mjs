// Every palitra error, caught by its code. Run: node errors.mjs
// #region imports
import { awaitSync } from '@palitra/backend-deasync'
import { createRunner, isPalitraError } from '@palitra/core'

function show(label, fn) {
  try {
    fn()
    console.log(`${label}: no error`)
  } catch (error) {
    if (!isPalitraError(error)) throw error // a task's own error, or a bug
    console.log(`${label}: ${error.code}`)
  }
}
// #endregion imports

const tasks = new URL('./tasks.mjs', import.meta.url)
const runner = createRunner(tasks, { backend: 'worker' })

// #region timeout
show('timeout', () => runner.callWith('slow', { timeout: 50 }, 10_000))
// #endregion timeout

// #region crashed
show('crashed', () => runner.call('exitHost'))
console.log('after the crash:', runner.call('ping')) // a fresh worker answers
// #endregion crashed

// #region not-found
show('not found', () => runner.call('nosuchTask'))
// #endregion not-found

// #region serialize
show('serialize', () => runner.call('makeCallback'))
// #endregion serialize

// #region deadlock
show('deadlock', () => runner.call('neverSettles'))
// #endregion deadlock

// #region startup
const broken = createRunner(new URL('./broken-tasks.mjs', import.meta.url), { backend: 'worker' })
try {
  broken.call('anything')
} catch (error) {
  console.log(`startup: ${error.code}, cause: ${error.cause.message}`)
}
broken.close()
// #endregion startup

// #region closed
runner.close()
show('closed', () => runner.call('ping'))
// #endregion closed

// #region unavailable
show('unavailable', () => createRunner(tasks, { backend: 'wrker' }))
// #endregion unavailable

// #region invalid-argument
show('invalid argument', () => createRunner(tasks, { timeout: -1 }))
// #endregion invalid-argument

// #region context
// This file is an ES module: its top-level code runs inside a microtask, where deasync cannot
// pump the loop. awaitSync says so instead of hanging.
show('context', () => awaitSync(Promise.resolve(1)))
// #endregion context
