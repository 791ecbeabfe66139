import { createSyncFn } from 'synckit'

const readName = createSyncFn(new URL('./worker.mjs', import.meta.url).pathname, { timeout: 5000 })

console.log(readName(process.argv[2] ?? 'package.json'))
