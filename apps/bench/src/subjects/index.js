/**
 * @typedef {object} Instance  one runner or sync function, ready to call
 * @property {(name: string, arg: unknown) => unknown} call  runs a task, returns its result
 *   synchronously (a promise for an `async` subject)
 * @property {(calls: Array<[string, unknown]>) => unknown} [all]  many calls in one wait, where
 *   the subject has such a thing; without it a batch workload loops over `call`
 * @property {(name: string, inputs: unknown[]) => unknown} [map]  one call per input, in one wait
 * @property {() => unknown} close  releases what the instance holds (a no-op where the peer has no close)
 *
 * @typedef {object} Subject  one thing the bench compares; a module `./<name>.js` exports it as default
 * @property {string} name  as in the table and JSON
 * @property {() => string | undefined} available  why it cannot run here, or undefined when it can
 * @property {(tasksUrl: URL) => Instance} create  a new runner on the shared tasks module
 * @property {() => string | undefined} [note]  a remark for the table, asked after the first call
 * @property {boolean} [async]  called from async code (tinypool): its methods return promises
 *
 * @typedef {object} SubjectInfo  what the CLI knows of a subject without loading its module
 * @property {'thread' | 'process' | 'in-process'} kind  where its tasks run; picks its floor
 * @property {string[]} [only]  the only workloads it means something on (default: all)
 * @property {string[]} [not]  workloads it means nothing on (not run, not listed)
 * @property {Record<string, string>} [skip]  workloads it sits out, and why (listed as skipped)
 */

/** The workloads that batch many calls into one wait. */
export const batchWorkloads = ['io-batch', 'cpu-map']

const spawnsPerCall =
  'starts a process for every call: 100 calls in series take longer than a whole round of every other subject; its per-call cost is in tight-loop'

/** @type {Record<string, SubjectInfo>} */
export const subjectInfo = {
  worker: { kind: 'thread' },
  deasync: { kind: 'in-process' },
  subprocess: { kind: 'process' },
  'worker-pool': { kind: 'thread', only: batchWorkloads },
  'subprocess-pool': { kind: 'process', only: batchWorkloads },
  'floor-thread': { kind: 'thread', not: batchWorkloads },
  'floor-thread-wait': { kind: 'thread', not: batchWorkloads },
  'floor-process': { kind: 'process', not: batchWorkloads },
  tinypool: { kind: 'thread', only: batchWorkloads },
  synckit: { kind: 'thread' },
  'make-synchronized': { kind: 'thread' },
  everysync: { kind: 'thread' },
  'make-synchronous': { kind: 'thread' },
  'make-synchronous-subprocess': { kind: 'process', skip: { 'io-batch': spawnsPerCall } },
  'deasync-raw': { kind: 'in-process' },
  'sync-rpc': { kind: 'process', skip: { 'io-batch': spawnsPerCall } },
}

/**
 * Whether a subject is run (or listed as skipped) on a workload at all.
 * @param {string} subject
 * @param {string} workload
 */
export function runsOn(subject, workload) {
  const info = subjectInfo[subject]
  if (info.only && !info.only.includes(workload)) return false
  return !info.not?.includes(workload)
}

/** Every subject, in table order: palitra first, then the floors, then the peers. */
export const subjectNames = /** @type {string[]} */ ([
  'worker',
  'deasync',
  'subprocess',
  'worker-pool',
  'subprocess-pool',
  'floor-thread',
  'floor-thread-wait',
  'floor-process',
  'tinypool',
  'synckit',
  'make-synchronized',
  'everysync',
  'make-synchronous',
  'make-synchronous-subprocess',
  'deasync-raw',
  'sync-rpc',
])

/** Subjects that are palitra itself (drawn in the accent colour). */
export const palitraSubjects = new Set([
  'worker',
  'deasync',
  'subprocess',
  'worker-pool',
  'subprocess-pool',
])

/** The floors: bare mechanisms, not libraries (drawn apart). */
export const floorSubjects = new Set(['floor-thread', 'floor-thread-wait', 'floor-process'])

/** Subjects whose tasks run on the caller's own thread: values are passed, never copied. */
export const inProcessSubjects = new Set(['deasync', 'deasync-raw'])

/**
 * Load one subject module. Only a measurement child calls this, so the CLI process never loads a
 * peer (or a native addon) itself.
 * @param {string} name
 * @returns {Promise<Subject>}
 */
export async function loadSubject(name) {
  if (!subjectNames.includes(name)) throw new Error(`unknown subject ${name}`)
  return (await import(`./${name}.js`)).default
}
