/**
 * make-synchronous stringifies the function it is given and evaluates it elsewhere (a worker, or
 * a fresh `node -`), so the function must be self-contained: the tasks module's URL is written
 * into its source, and it imports the tasks the way make-synchronous's README shows.
 * @param {URL} tasksUrl
 */
export function taskFunctionSource(tasksUrl) {
  return `async (name, arg) => (await import(${JSON.stringify(tasksUrl.href)}))[name](arg)`
}
