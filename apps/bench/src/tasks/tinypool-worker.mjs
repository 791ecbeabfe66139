// tinypool's worker shape: a module whose default export receives each task's data.
/** @type {Record<string, (arg: unknown) => Promise<unknown>>} */
const tasks = await import('./impl.mjs')

/** @param {{ name: string, arg: unknown }} task */
export default ({ name, arg }) => tasks[name](arg)
