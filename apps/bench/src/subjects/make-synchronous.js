import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { implUrl } from './shared.js'

/** make-synchronous stringifies the function, so the implementation's URL is written into it. */
const source = `async (name, arg) => (await import(${JSON.stringify(implUrl)}))[name](arg)`

function makeSubject(name, entry) {
  return {
    name,
    async load() {
      this.makeSynchronous = (await import(entry)).default
      // Its subprocess entry pipes a module into `node -` that imports its own dependency from
      // the working directory; under pnpm's isolated node_modules that works only from its folder.
      process.chdir(path.dirname(fileURLToPath(import.meta.resolve(entry))))
    },
    create() {
      const fn = this.makeSynchronous(source)
      return { call: (task, arg) => fn(task, arg), close() {} }
    },
  }
}

export const makeSynchronousWorker = makeSubject('make-synchronous', 'make-synchronous')
export const makeSynchronousSubprocess = makeSubject(
  'make-synchronous-subprocess',
  'make-synchronous/subprocess',
)
