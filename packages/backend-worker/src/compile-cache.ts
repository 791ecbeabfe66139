/**
 * A V8 code cache for the host's own code. Every worker thread is a new isolate that would parse
 * the host and compile each function it runs before its first call can be answered, on the way
 * to every runner's first result; Node 20 has no compile cache (22's `module.enableCompileCache`
 * is process-wide, for the user to choose), so the host keeps its own, as Node's does: one file
 * per host build and V8, in a directory of the user's own under the temporary directory.
 *
 * Reading the cache is on the way to the first call; writing it is not (the host writes it once,
 * after its first reply, when the functions that call needed are compiled and in it). Anything
 * that goes wrong (no directory, a directory someone else could write, a full disk, a cache V8
 * rejects) only means the code is compiled as without a cache.
 */
const fs = process.getBuiltinModule('node:fs')
const vm = process.getBuiltinModule('node:vm')
const { fileURLToPath } = process.getBuiltinModule('node:url')

/** What a host needs of its cache: the script's function, and how to keep what it compiled. */
export interface CachedScript {
  /** The script as the body of a function of the names given. */
  readonly value: unknown
  /** V8 took the compiled code from the cache. */
  readonly fromCache: boolean
  /** Write the cache if it was missing or V8 rejected it; call once its first work is done. */
  save(): void
}

/** Only Node's `vm.Script` takes and makes V8 code caches; Bun and Deno compile as usual. */
const canCache = typeof process.versions.bun !== 'string' && !('Deno' in globalThis)

/**
 * `PALITRA_COMPILE_CACHE` names the directory; `PALITRA_DISABLE_COMPILE_CACHE=1` turns it off
 * (as Node's NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE do). Default: a directory of this
 * user's in the temporary directory.
 */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!canCache || env.PALITRA_DISABLE_COMPILE_CACHE) return undefined
  if (env.PALITRA_COMPILE_CACHE) return env.PALITRA_COMPILE_CACHE
  return `${temporaryDirectory(env)}/palitra-compile-cache-${process.getuid?.() ?? 'user'}`
}

/**
 * `os.tmpdir()`, without loading node:os in the thread on POSIX (on the way to the first call,
 * that load costs more than the rest of this file): the same variables in the same order.
 */
function temporaryDirectory(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') return process.getBuiltinModule('node:os').tmpdir()
  const directory = env.TMPDIR || env.TMP || env.TEMP || '/tmp'
  return directory.length > 1 && directory.endsWith('/') ? directory.slice(0, -1) : directory
}

/**
 * The directory, made if missing, if it is one only this user can write: a cache is code this
 * process runs, and one planted by another user would run as this one.
 */
function ownDirectory(directory: string): boolean {
  try {
    let stat = fs.lstatSync(directory, { throwIfNoEntry: false })
    if (!stat) {
      fs.mkdirSync(directory, { recursive: true, mode: 0o700 })
      stat = fs.lstatSync(directory)
    }
    if (!stat.isDirectory()) return false
    if (process.getuid && stat.uid !== process.getuid()) return false
    return process.platform === 'win32' || (stat.mode & 0o022) === 0
  } catch {
    return false
  }
}

/**
 * `url`'s script as the body of a function of `params` (strict, as a module is), compiled with
 * the cache in `directory` (none when undefined). The cache's name holds what makes it valid:
 * the V8 and architecture, the script file's size and modification time (V8 itself checks only
 * the source's length), and the thread's flags.
 */
export function runCachedScript(
  url: URL,
  params: readonly string[],
  directory: string | undefined,
): CachedScript {
  const path = fileURLToPath(url)
  const source = fs.readFileSync(path, 'utf8')
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1)
  let cacheFile: string | undefined
  if (directory !== undefined && ownDirectory(directory)) {
    const stat = fs.statSync(path)
    const build = `${stat.size}-${Math.trunc(stat.mtimeMs)}`
    cacheFile = `${directory}/${name}-${process.versions.v8}-${process.arch}-${build}${flagsKey()}.cache`
  }
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile)
  // The function's head has a line of its own: line numbers in stack traces stay the file's.
  const script = new vm.Script(`(function (${params.join(', ')}) { 'use strict';\n${source}\n})`, {
    filename: url.href,
    lineOffset: -1,
    cachedData,
  })
  const value = script.runInThisContext()
  let saved = false
  return {
    value,
    fromCache: cachedData !== undefined && !script.cachedDataRejected,
    save() {
      if (saved || cacheFile === undefined || directory === undefined) return
      saved = true
      if (cachedData && !script.cachedDataRejected) return
      writeCache(cacheFile, script.createCachedData())
      forgetOldCaches(directory, `${name}-`)
    },
  }
}

/**
 * The thread's Node flags, as part of the name: V8 rejects a cache made under other flags, and
 * runners with and without some flag would otherwise each rewrite the other's on every start.
 */
function flagsKey(): string {
  const flags = process.execArgv.join('\0')
  if (flags === '') return ''
  // FNV-1a: a name, not a check (V8 checks the flags itself).
  let hash = 0x811c9dc5
  for (let i = 0; i < flags.length; i++) hash = Math.imul(hash ^ flags.charCodeAt(i), 0x01000193)
  return `-${(hash >>> 0).toString(36)}`
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file)
  } catch {
    return undefined
  }
}

/** Written beside and renamed into place: a reader never sees half a cache. */
function writeCache(file: string, data: Buffer): void {
  const { threadId } = process.getBuiltinModule('node:worker_threads')
  const partial = `${file}.${process.pid}-${threadId}`
  try {
    fs.writeFileSync(partial, data, { mode: 0o600 })
    fs.renameSync(partial, file)
  } catch {
    try {
      fs.rmSync(partial, { force: true })
    } catch {}
  }
}

/** A cache not written for this long is removed when another is written. */
const oldCacheMs = 30 * 24 * 3600 * 1000

/**
 * Every upgrade of palitra (or of Node) leaves a cache behind. Those of the same script unwritten
 * for a month go when a new one is written: that is rare, and a cache still in use that goes is
 * only written again. (Caches are not touched when read, so age is since written.)
 */
function forgetOldCaches(directory: string, prefix: string): void {
  try {
    const now = Date.now()
    for (const entry of fs.readdirSync(directory)) {
      if (!entry.startsWith(prefix) || !entry.endsWith('.cache')) continue
      const file = `${directory}/${entry}`
      if (now - fs.statSync(file).mtimeMs > oldCacheMs) fs.rmSync(file, { force: true })
    }
  } catch {}
}
