// Runs in the runner's host: prettier is imported once and stays loaded for every file linted.
import * as prettier from 'prettier'

export async function format(text, filepath) {
  const options = (await prettier.resolveConfig(filepath)) ?? {}
  return prettier.format(text, { ...options, filepath })
}
