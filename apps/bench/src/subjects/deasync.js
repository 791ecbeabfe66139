import { palitraSubject } from './palitra.js'
import { tryImport } from './try-import.js'

/** palitra's `deasync` backend. */
export default palitraSubject('deasync', await tryImport('@palitra/backend-deasync'))
