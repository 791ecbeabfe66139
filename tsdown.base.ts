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
