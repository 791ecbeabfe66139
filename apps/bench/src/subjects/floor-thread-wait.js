import { openThreadFloor } from '../floors/thread-floor.js'

/**
 * The thread floor without spinning: both sides sleep in Atomics.wait and wake each other, two
 * thread wake-ups a call. The floor where a call waits on a timer or a socket anyway.
 * @type {import('./index.js').Subject}
 */
export default {
  name: 'floor-thread-wait',
  available: () => undefined,
  create: (tasksUrl) => openThreadFloor(tasksUrl, 'wait'),
}
