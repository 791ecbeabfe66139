import type { UserConfig } from 'tsdown'

/** What every package builds the same way: ESM for Node >= 20.19 with declarations, `.js` names. */
export const baseConfig = {
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: true,
  clean: true,
  fixedExtension: false,
} satisfies UserConfig

/**
 * Files a thread or a child process loads by path (a host's entry, a relay) are each one
 * self-contained file: resolving and linking the packages they would import (through the package
 * manager's links) is a large part of a host's start-up, paid before every runner's first call.
 * Core keeps its per-thread state in global slots, so its copy in such a file and the one a tasks
 * module imports share it. Other packages (tinypool) stay imports.
 */
export function entryFilesConfig(entries: Record<string, string>): UserConfig[] {
  // One build each: entries built together would share chunks, and a child process would then
  // load what only its relay needs.
  return Object.entries(entries).map(([name, source]) => ({
    ...baseConfig,
    entry: { [name]: source },
    noExternal: [/^@palitra\//],
    dts: false,
    clean: false,
  }))
}
