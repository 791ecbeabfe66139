import { createSyncFn } from 'synckit'

export default {
  name: 'synckit',
  create() {
    const fn = createSyncFn(new URL('../tasks/synckit-worker.mjs', import.meta.url).pathname)
    // synckit has no close; its worker is unref'd.
    return { call: (name, arg) => fn(name, arg), close() {} }
  },
}
