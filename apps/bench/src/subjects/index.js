/**
 * @typedef {object} Instance  one runner or sync function, ready to call
 * @property {(name: string, arg: unknown) => unknown} call  runs a task, returns its result synchronously
 * @property {() => void} close  releases what the instance holds (a no-op where the peer has no close)
 *
 * @typedef {object} Subject  one thing the bench compares; a module `./<name>.js` exports it as default
 * @property {string} name  as in the table and JSON
 * @property {() => string | undefined} available  why it cannot run here, or undefined when it can
 * @property {(tasksUrl: URL) => Instance} create  a new runner on the shared tasks module
 * @property {() => string | undefined} [note]  a remark for the table, asked after the first call
 */

/** Every subject, in table order: palitra's backends first, then the peers. */
export const subjectNames = [
  'worker',
  'deasync',
  'subprocess',
  'synckit',
  'make-synchronous',
  'make-synchronous-subprocess',
  'deasync-raw',
  'sync-rpc',
]

/** Subjects that are palitra's own backends (drawn in the accent colour). */
export const palitraSubjects = new Set(['worker', 'deasync', 'subprocess'])

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
