import { subjectNames } from './subjects/index.js'
import { workloadNames } from './workloads.js'

export const usage = `pnpm bench [options]

  --subject a,b      subjects to run (default: all)   ${subjectNames.join(', ')}
  --workload x,y     workloads to run (default: all)  ${workloadNames.join(', ')}
  --quick            few rounds, small budgets (CI)
  --rounds N         rounds per workload (default 5, quick 2)
  --json PATH        where to write results (default results/latest.json)
  --help             this text`

function list(value, known, what) {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  for (const name of names) {
    if (!known.includes(name))
      throw new Error(`unknown ${what} "${name}"; known: ${known.join(', ')}`)
  }
  return names
}

export function parseArgs(argv) {
  const options = {
    subjects: subjectNames,
    workloads: workloadNames,
    quick: false,
    rounds: undefined,
    json: undefined,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2)
    const value = () => inline ?? argv[++i] ?? ''
    switch (flag) {
      case '--subject':
        options.subjects = list(value(), subjectNames, 'subject')
        break
      case '--workload':
        options.workloads = list(value(), workloadNames, 'workload')
        break
      case '--quick':
        options.quick = true
        break
      case '--rounds': {
        const rounds = Number(value())
        if (!Number.isInteger(rounds) || rounds < 1)
          throw new Error('--rounds takes a whole number >= 1')
        options.rounds = rounds
        break
      }
      case '--json':
        options.json = value()
        break
      case '--help':
      case '-h':
        options.help = true
        break
      default:
        throw new Error(`unknown flag ${argv[i]}\n\n${usage}`)
    }
  }
  options.rounds ??= options.quick ? 2 : 5
  return options
}
