import { createRequire } from 'node:module'
import { implUrl } from './shared.js'

/** The bare idiom people write by hand: start the promise, pump the loop until it settles. */
export default {
  name: 'deasync-raw',
  async load() {
    this.deasync = createRequire(import.meta.url)('deasync')
    this.impl = await import(implUrl)
  },
  create() {
    const { deasync, impl } = this
    return {
      call(name, arg) {
        let done = false
        let value
        let failure
        impl[name](arg).then(
          (result) => {
            value = result
            done = true
          },
          (error) => {
            failure = error
            done = true
          },
        )
        deasync.loopWhile(() => !done)
        if (failure) throw failure
        return value
      },
      close() {},
    }
  },
}
