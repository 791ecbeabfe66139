// A local HTTP server for fetch-all.mjs: answers `page /x`, 404 for /missing. It holds /a, /b and
// /c until all three have arrived, so fetch-all.mjs only gets them if they were sent at once
// (past 10 s it gives up with a 503). Prints its address, then the most requests it had at once.
import { createServer } from 'node:http'

const together = new Set(['/a', '/b', '/c'])
const held = []
let inFlight = 0
let maxInFlight = 0

const server = createServer((request, response) => {
  inFlight++
  maxInFlight = Math.max(maxInFlight, inFlight)
  const answer = (status, body) => {
    inFlight--
    response.writeHead(status, { 'content-type': 'text/plain' }).end(body)
  }
  if (request.url === '/stats') return answer(200, JSON.stringify({ maxInFlight }))
  if (request.url === '/missing') return answer(404, 'not found')
  if (!together.has(request.url)) return answer(200, `page ${request.url}`)
  held.push((status = 200) => answer(status, status === 200 ? `page ${request.url}` : 'alone'))
  if (held.length === together.size) for (const release of held.splice(0)) release()
})
setTimeout(() => {
  for (const release of held.splice(0)) release(503)
}, 10_000).unref()
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`)
})
