import { palitraSubject } from './palitra.js'
import { tryImport } from './try-import.js'

/** palitra's `worker` backend. */
export default palitraSubject('worker', await tryImport('@palitra/backend-worker'))
