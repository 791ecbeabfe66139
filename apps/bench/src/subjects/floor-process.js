import { openProcessFloor, processFloorUnavailable } from '../floors/process-floor.js'

/**
 * The process floor: a bare round trip to one persistent child over two named pipes, the caller
 * blocking in readSync. What no process-based subject can beat on this machine.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'floor-process',
  available: processFloorUnavailable,
  create: openProcessFloor,
}
