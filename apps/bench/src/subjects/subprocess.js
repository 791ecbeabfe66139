import { palitraSubject } from './palitra.js'

/** palitra's `subprocess` backend. */
export default palitraSubject('subprocess')
