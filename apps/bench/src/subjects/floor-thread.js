import { openThreadFloor } from '../floors/thread-floor.js'

/**
 * The thread floor: a bare shared-buffer round trip to one worker, both sides spinning. What no
 * thread-based subject can beat on this machine.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'floor-thread',
  available: () => undefined,
  create: (tasksUrl) => openThreadFloor(tasksUrl, 'spin'),
}
