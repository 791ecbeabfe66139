import { subjectNames } from './subjects/index.js'
import { workloadNames } from './workloads.js'

export const usage = `Usage: pnpm bench [options]   (or: node src/cli.js [options] in apps/bench)

Runs the same workloads on palitra's backends and on the peers, subjects alternating within
each round; prints a table and writes a JSON file and one SVG chart per workload beside it.

Options:
  --subject a,b     subjects to run (default: all)
                    ${subjectNames.join(', ')}
  --workload x,y    workloads to run (default: all)
                    ${workloadNames.join(', ')}
  --quick           3 short rounds and small sample caps (what CI runs)
  --rounds N        rounds per workload (default: 7, or 3 with --quick)
  --json PATH       results file (default: results/latest.json); charts go beside it
  --readme          after the run, rewrite the benchmark table in the root README.md (done
                    anyway when the results go to the default file, which the table is made from)
  --readme-only     no run: rewrite the README's table from the results file as it is
  --timeout S       seconds a subject may take to answer before it is killed (default: 30)
  --seed N          the subjects' order in each round is shuffled from this seed (default:
                    a new one each run, written to the results file)
  --help            this text`

/**
 * @typedef {object} Options
 * @property {string[]} subjects
 * @property {string[]} workloads
 * @property {boolean} quick
 * @property {number} rounds
 * @property {string | undefined} json
 * @property {number} timeoutMs
 * @property {number} seed  the rounds' subject orders are shuffled from it
 * @property {boolean} readme  rewrite the root README's table after the run
 * @property {boolean} readmeOnly  rewrite it from the existing results file, without a run
 * @property {boolean} help
 */

/**
 * @param {string} value
 * @param {string[]} known
 * @param {string} what
 */
function names(value, known, what) {
  const list = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (list.length === 0) throw new Error(`--${what} needs at least one name`)
  for (const name of list) {
    if (!known.includes(name))
      throw new Error(`unknown ${what} "${name}"; known: ${known.join(', ')}`)
  }
  // Keep the table's order whatever order they were given in.
  return known.filter((name) => list.includes(name))
}

/**
 * @param {string} flag
 * @param {string} value
 * @param {number} min
 */
function wholeNumber(flag, value, min) {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min)
    throw new Error(`${flag} takes a whole number >= ${min}, got "${value}"`)
  return number
}

/**
 * Parse the command line (without node and the script). Throws on anything unknown.
 * @param {string[]} argv
 * @returns {Options}
 */
export function parseArgs(argv) {
  /** @type {Omit<Options, 'rounds'> & { rounds: number | undefined }} */
  const options = {
    subjects: subjectNames,
    workloads: workloadNames,
    quick: false,
    rounds: undefined,
    json: undefined,
    timeoutMs: 30_000,
    seed: Math.floor(Math.random() * 2 ** 32),
    readme: false,
    readmeOnly: false,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const value = () => {
      if (eq > 0) return arg.slice(eq + 1)
      const next = argv[++i]
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`)
      return next
    }
    switch (flag) {
      case '--subject':
      case '--subjects':
        options.subjects = names(value(), subjectNames, 'subject')
        break
      case '--workload':
      case '--workloads':
        options.workloads = names(value(), workloadNames, 'workload')
        break
      case '--quick':
        options.quick = true
        break
      case '--rounds':
        options.rounds = wholeNumber(flag, value(), 1)
        break
      case '--readme':
        options.readme = true
        break
      case '--readme-only':
        options.readmeOnly = true
        break
      case '--json':
        options.json = value()
        break
      case '--seed':
        options.seed = wholeNumber(flag, value(), 0)
        if (options.seed >= 2 ** 32) throw new Error(`--seed takes a whole number below 2^32`)
        break
      case '--timeout':
        options.timeoutMs = wholeNumber(flag, value(), 1) * 1000
        break
      case '--help':
      case '-h':
        options.help = true
        break
      default:
        throw new Error(`unknown option ${arg} (see --help)`)
    }
  }
  return { ...options, rounds: options.rounds ?? (options.quick ? 3 : 7) }
}

/**
 * Time budgets for a run. Every subject gets the same warm-up once its runner is open, and a
 * shorter one before each round (its runner sat idle while the others ran).
 * @param {Options} options
 */
export function budgets(options) {
  return options.quick
    ? {
        open: { budgetMs: 0, warmupMs: 50, quick: true },
        round: { budgetMs: 60, warmupMs: 0, quick: true },
      }
    : {
        open: { budgetMs: 0, warmupMs: 300, quick: false },
        round: { budgetMs: 300, warmupMs: 100, quick: false },
      }
}
