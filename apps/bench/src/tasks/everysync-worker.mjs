// everysync's worker shape: wire(buffer, api) with the shared buffer from workerData.
import { workerData } from 'node:worker_threads'
import { wire } from 'everysync'

wire(workerData.data, await import('./impl.mjs'))
