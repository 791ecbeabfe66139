/**
 * Flags a Worker inherits from `process.execArgv` that make no sense in a thread and stop it from
 * starting (`node --input-type=module -e …` is the classic): drop them, keep the rest
 * (`--expose-gc`, `--conditions`, `--import` loaders, ...).
 */
const dropWithValue = new Set([
  '--input-type',
  '--eval',
  '-e',
  '--print',
  '-p',
  '--test-reporter',
  '--test-reporter-destination',
  '--watch-path',
  '--test-name-pattern',
  '--test-shard',
  '--test-concurrency',
])
const dropAlone = new Set([
  '--interactive',
  '-i',
  '--check',
  '-c',
  '--test',
  '--watch',
  '--test-only',
  '--prof-process',
  '--experimental-test-coverage',
  '--experimental-default-type=module',
])

export function filterExecArgv(argv: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag] = arg.split('=', 1) as [string]
    if (dropAlone.has(arg) || dropAlone.has(flag)) continue
    if (dropWithValue.has(flag)) {
      if (!arg.includes('=')) i++
      continue
    }
    kept.push(arg)
  }
  return kept
}
