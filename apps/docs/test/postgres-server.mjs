// A real, throwaway PostgreSQL server from Debian's `postgresql` package: a fresh cluster in a
// temporary folder, listening only on a unix socket inside it. Never a mock.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const PORT = 5432 // names the socket file; nothing listens on TCP

/** The folder holding initdb and postgres: PATH first, then Debian's versioned folders. */
export function findPostgresBin() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) {
      return dir
    }
  }
  const debian = '/usr/lib/postgresql'
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => existsSync(path.join(debian, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length > 0) return path.join(debian, versions[0], 'bin')
  throw new Error(
    "PostgreSQL is not installed: install Debian's package (apt-get install -y postgresql; .ci/run does)",
  )
}

// PostgreSQL refuses to run as root; as root, the server runs as Debian's `postgres` user.
function serverUser() {
  if (process.getuid?.() !== 0) return null
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
  if (!line)
    throw new Error('running as root, and there is no `postgres` user to run the server as')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

function run(bin, args, user) {
  const result = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, ...(user ?? {}) })
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(bin)} failed (${result.status ?? result.signal}): ${result.stderr}`,
    )
  }
}

/**
 * Starts a server and waits until it accepts connections.
 * @returns {Promise<{ env: Record<string, string>, stop(): Promise<void> }>}
 */
export async function startPostgres({ readyTimeoutMs = 30_000 } = {}) {
  const bin = findPostgresBin()
  const user = serverUser()
  const dir = await mkdtemp(path.join(tmpdir(), 'palitra-docs-pg-'))
  if (user) await chown(dir, user.uid, user.gid)
  const data = path.join(dir, 'data')
  run(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'palitra', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    user,
  )
  const server = spawn(
    path.join(bin, 'postgres'),
    ['-D', data, '-k', dir, '-p', String(PORT), '-c', 'listen_addresses=', '-c', 'fsync=off'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
  )
  let log = ''
  server.stderr.setEncoding('utf8')
  server.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-8000)
  })
  const exited = new Promise((resolve) => server.once('exit', resolve))
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGINT') // fast shutdown
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  const socket = path.join(dir, `.s.PGSQL.${PORT}`)
  const deadline = Date.now() + readyTimeoutMs
  while (!existsSync(socket) || !log.includes('ready to accept connections')) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`PostgreSQL did not start within ${readyTimeoutMs} ms:\n${log}`)
    }
    await sleep(50)
  }
  const env = { PGHOST: dir, PGPORT: String(PORT), PGUSER: 'palitra', PGDATABASE: 'postgres' }
  return { env, stop }
}
