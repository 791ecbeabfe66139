import { palitraPoolSubject } from './palitra.js'
import { tryImport } from './try-import.js'

/** palitra's `worker` backend with a pool of one worker thread per core. */
export default palitraPoolSubject('worker', await tryImport('@palitra/backend-worker'))
