import { tryImport } from './try-import.js'

const { module, reason } = await tryImport('deasync')
const deasync = module?.default

/**
 * The bare idiom people write by hand with the `deasync` package: start the promise, pump the
 * event loop until it settles. Must not run inside a microtask (it would never settle there); the
 * measurement child only calls it from setImmediate callbacks.
 * @param {Promise<unknown>} promise
 * @returns {unknown}
 */
function awaitSync(promise) {
  let done = false
  let failed = false
  /** @type {unknown} */
  let value
  promise.then(
    (result) => {
      value = result
      done = true
    },
    (error) => {
      value = error
      failed = true
      done = true
    },
  )
  deasync.loopWhile(() => !done)
  if (failed) throw value
  return value
}

/** @type {import('./index.js').Subject} */
export default {
  name: 'deasync-raw',
  available: () => reason,
  create(tasksUrl) {
    const tasks = /** @type {Record<string, (arg: unknown) => Promise<unknown>>} */ (
      awaitSync(import(tasksUrl.href))
    )
    return { call: (name, arg) => awaitSync(tasks[name](arg)), close() {} }
  },
}
