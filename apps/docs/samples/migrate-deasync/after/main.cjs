// palitra's deasync backend: awaitSync for any promise, with a timeout and clear errors.
const { awaitSync } = require('@palitra/backend-deasync')
const dns = require('node:dns/promises')
const { readFile } = require('node:fs/promises')

console.log(JSON.parse(awaitSync(readFile(process.argv[2] ?? 'package.json', 'utf8'))).name)
console.log(awaitSync(dns.lookup('localhost', { family: 4 }), { timeout: 5000 }).address)
