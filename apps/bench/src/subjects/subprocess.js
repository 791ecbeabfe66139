import { palitraSubject } from './palitra.js'
import { tryImport } from './try-import.js'

/** palitra's `subprocess` backend. */
export default palitraSubject('subprocess', await tryImport('@palitra/backend-subprocess'))
