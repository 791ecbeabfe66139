import { palitraPoolSubject } from './palitra.js'
import { tryImport } from './try-import.js'

/** palitra's `subprocess` backend with a pool of one child process per core. */
export default palitraPoolSubject('subprocess', await tryImport('@palitra/backend-subprocess'))
