// The sync face of the database for the legacy code: plain functions, one warm pool behind them.
const { syncFn } = require('@palitra/core')

const tasks = require('node:path').join(__dirname, 'db-tasks.mjs')

exports.query = syncFn(tasks, 'query')
exports.transaction = syncFn(tasks, 'transaction')
