// synckit's worker shape: a file that calls runAsWorker(fn). Dispatch by task name to the
// shared tasks implementation, loaded once with the worker.
import { runAsWorker } from 'synckit'

/** @type {Record<string, (arg: unknown) => Promise<unknown>>} */
const tasks = await import('./impl.mjs')

runAsWorker((name, arg) => tasks[name](arg))
