import deasyncRaw from './deasync-raw.js'
import { makeSynchronousSubprocess, makeSynchronousWorker } from './make-synchronous.js'
import { palitraSubject } from './palitra.js'
import syncRpc from './sync-rpc.js'
import synckit from './synckit.js'

/** Every subject, palitra's first; the order is the table's. */
export const subjects = [
  palitraSubject('worker'),
  palitraSubject('deasync'),
  palitraSubject('subprocess'),
  synckit,
  makeSynchronousWorker,
  makeSynchronousSubprocess,
  deasyncRaw,
  syncRpc,
]

export const subjectNames = subjects.map((subject) => subject.name)

export function findSubject(name) {
  const subject = subjects.find((candidate) => candidate.name === name)
  if (!subject) throw new Error(`unknown subject ${name}; known: ${subjectNames.join(', ')}`)
  return subject
}
