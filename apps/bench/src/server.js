// The keep-alive workload's HTTP server, run as its own process by local-server.js: the callers
// block their thread during sync calls, so a server on that thread could never answer. Loopback
// only. Counts TCP connections and requests; reports them over IPC; exits with its parent.
import http from 'node:http'

let connections = 0
let requests = 0
const server = http.createServer({ keepAliveTimeout: 120_000 }, (_request, response) => {
  requests++
  response.end('ok')
})
server.on('connection', () => {
  connections++
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 })
})
process.on('message', (message) => {
  if (message === 'count') process.send?.({ connections, requests })
})
process.on('disconnect', () => process.exit(0))
