import type { HostRequest } from './contract.js'
import { describeBatch } from './host/batch.js'

/** What a host is doing for `request`, as messages say it: "running task \"format\"". */
export function describeRequest(request: HostRequest): string {
  switch (request.op) {
    case 'call':
      return `running task "${request.name}"`
    case 'batch':
      return `running ${describeBatch(request)}`
    case 'next':
    case 'return':
      return 'stepping an iterator'
    case 'load':
      return 'loading the tasks module'
    case 'teardown':
      return 'running teardown'
  }
}
