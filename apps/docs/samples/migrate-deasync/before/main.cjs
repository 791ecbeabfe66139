// deasync used raw: a hand-written wait loop for promises, deasync(fn) for callback APIs.
const deasync = require('deasync')
const dns = require('node:dns')
const { readFile } = require('node:fs/promises')

function waitFor(promise) {
  let done = false
  let value
  let error
  promise.then(
    (v) => {
      value = v
      done = true
    },
    (e) => {
      error = e
      done = true
    },
  )
  deasync.loopWhile(() => !done) // no timeout: a promise that never settles hangs here
  if (error) throw error
  return value
}

const lookupSync = deasync(dns.lookup)

console.log(JSON.parse(waitFor(readFile(process.argv[2] ?? 'package.json', 'utf8'))).name)
console.log(lookupSync('localhost', { family: 4 }))
