export const implUrl = new URL('../tasks/impl.mjs', import.meta.url).href
