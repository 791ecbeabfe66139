// sync-rpc loads a CommonJS module exporting init(connection) => (message) => Promise.
module.exports = function init(implUrl) {
  const loading = import(implUrl)
  return async ({ name, arg }) => (await loading)[name](arg)
}
