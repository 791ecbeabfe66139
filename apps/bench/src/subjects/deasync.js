import { palitraSubject } from './palitra.js'

/** palitra's `deasync` backend. */
export default palitraSubject('deasync')
