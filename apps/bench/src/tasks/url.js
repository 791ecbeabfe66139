/** The one tasks implementation every subject runs. */
export const tasksUrl = new URL('./impl.mjs', import.meta.url)
