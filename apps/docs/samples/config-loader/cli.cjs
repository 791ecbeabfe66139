// Sync CommonJS startup code, as in many CLIs: the config is there before anything else runs.
const { loadConfigSync } = require('./load-config.mjs')

const config = loadConfigSync(process.argv[2] ?? 'app.config.mjs')
console.log(`${config.name} listens on ${config.port} (log level ${config.logLevel})`)
