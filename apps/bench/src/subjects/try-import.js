/**
 * Import a subject's library without letting a missing package (or a native addon that does not
 * load) crash the bench: the subject reports the reason instead.
 * @param {string} specifier
 * @returns {Promise<{ module?: any, reason?: string }>}
 */
export async function tryImport(specifier) {
  try {
    return { module: await import(specifier) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { reason: `cannot load ${specifier}: ${message.split('\n')[0]}` }
  }
}
