// The public entry points the API reference documents, in sidebar order. One line per import
// specifier a user writes; scripts/api.mjs turns each into a TypeDoc module named after it.
export const apiEntries = [
  {
    specifier: '@palitra/core',
    about: 'createRunner, getRunner, syncFn, the Runner, options and errors.',
  },
  { specifier: '@palitra/core/task', about: 'What a task can use while it is being served.' },
  { specifier: '@palitra/core/backend', about: 'The contract a backend implements.' },
  { specifier: '@palitra/backend-worker', about: 'workerBackend() and its options.' },
  { specifier: '@palitra/backend-subprocess', about: 'subprocessBackend() and its options.' },
  {
    specifier: '@palitra/backend-deasync',
    about: 'deasyncBackend(), awaitSync() and their options.',
  },
  { specifier: '@palitra/conformance', about: 'The behaviour suite every backend runs.' },
]
