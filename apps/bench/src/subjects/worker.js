import { palitraSubject } from './palitra.js'

/** palitra's `worker` backend. */
export default palitraSubject('worker')
