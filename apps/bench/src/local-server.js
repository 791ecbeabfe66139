import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const serverScript = fileURLToPath(new URL('./server.js', import.meta.url))

/**
 * @typedef {{ connections: number, requests: number }} Counts
 * @typedef {{ port: number, counts(): Promise<Counts>, stop(): void }} LocalServer
 */

/**
 * Start the loopback HTTP server in a child process.
 * @returns {Promise<LocalServer>}
 */
export async function startLocalServer() {
  const child = fork(serverScript, { stdio: 'ignore' })
  /**
   * @param {string | undefined} request
   * @param {string} key  the reply carries this field
   */
  const ask = (request, key) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage)
        reject(new Error('the local HTTP server did not answer within 10 s'))
      }, 10_000)
      /** @param {any} reply */
      function onMessage(reply) {
        if (reply?.[key] === undefined) return
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve(reply)
      }
      child.on('message', onMessage)
      if (request) child.send(request)
    })
  try {
    const { port } = await ask(undefined, 'port')
    return { port, counts: () => ask('count', 'connections'), stop: () => child.kill() }
  } catch (error) {
    child.kill()
    throw error
  }
}
