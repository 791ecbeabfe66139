// The library's task module; loaded once, in whatever host the application's backend provides.
import { setTimeout as sleep } from 'node:timers/promises'

export async function slugify(text) {
  await sleep(1) // imagine an async dictionary lookup here
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
