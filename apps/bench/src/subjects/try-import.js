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
    const { code, message } = /** @type {{ code?: string, message?: string }} */ (error ?? {})
    // Node's message names this file's absolute path: say it shorter, the same on every machine.
    if (code === 'ERR_MODULE_NOT_FOUND' && message?.includes(`'${specifier}'`))
      return { reason: `${specifier} is not installed` }
    return { reason: `cannot load ${specifier}: ${String(message ?? error).split('\n')[0]}` }
  }
}
