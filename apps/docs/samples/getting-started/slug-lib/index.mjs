// A library: depends on @palitra/core only and exposes a plain sync function.
import { syncFn } from '@palitra/core'

/** slugify(text): sync for the caller, async inside. */
export const slugify = syncFn(new URL('./slugify-task.mjs', import.meta.url), 'slugify')
