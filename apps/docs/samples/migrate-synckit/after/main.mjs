import { syncFn } from '@palitra/core'

const readName = syncFn(new URL('./tasks.mjs', import.meta.url), 'readName', { timeout: 5000 })

console.log(readName(process.argv[2] ?? 'package.json'))
