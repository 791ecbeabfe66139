// A keep-alive HTTP server on loopback, in its own process (the bench's callers block their own
// thread, so it cannot live there). Counts TCP connections; answers counts over IPC.
import http from 'node:http'

let connections = 0
const server = http.createServer({ keepAliveTimeout: 60_000 }, (_request, response) => {
  response.end('ok')
})
server.on('connection', () => {
  connections++
})
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', (message) => {
  if (message === 'count') process.send({ connections })
})
process.on('disconnect', () => process.exit(0))
