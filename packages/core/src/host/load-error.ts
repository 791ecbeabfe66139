interface BunBuildMessage extends Error {
  readonly position?: { file?: string; line?: number; column?: number } | null
}

/**
 * Bun reports a syntax error in an imported module as a `BuildMessage`: an Error, but not a
 * SyntaxError, with its place in `position` and no stack. Every other runtime gives a SyntaxError,
 * and callers check for one (`cause instanceof SyntaxError`), so here they get one too.
 */
export function normalizeLoadError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'BuildMessage' || error instanceof SyntaxError) {
    return error
  }
  const position = (error as BunBuildMessage).position
  const where = position?.file ? ` (${position.file}:${position.line}:${position.column})` : ''
  return new SyntaxError(`${error.message}${where}`)
}
