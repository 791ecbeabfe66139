// sync-rpc's worker shape: module.exports = init(arg) returning (message) => Promise.
// `arg` is the shared tasks module's URL; it is imported once and kept for the server's life.
module.exports = function init(tasksUrl) {
  const loading = import(tasksUrl)
  return async ({ name, arg }) => (await loading)[name](arg)
}
