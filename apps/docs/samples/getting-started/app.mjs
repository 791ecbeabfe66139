// The application picks the backend once; every library using syncFn gets it.
import { setDefaultBackend } from '@palitra/core'
import { slugify } from './slug-lib/index.mjs'

setDefaultBackend('worker') // or PALITRA_BACKEND=worker, or nothing: the first installed one

console.log(slugify('Crème Brûlée, twice!')) // creme-brulee-twice
