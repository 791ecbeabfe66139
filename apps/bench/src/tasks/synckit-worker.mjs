// synckit takes one function per worker file: dispatch by task name to the shared implementation.
import { runAsWorker } from 'synckit'
import * as impl from './impl.mjs'

runAsWorker((name, arg) => impl[name](arg))
