import { defineConfig } from 'tsdown'
import { baseConfig, entryFilesConfig } from '../../tsdown.base.ts'

export default defineConfig([
  { ...baseConfig, entry: { index: 'src/index.ts' } },
  ...entryFilesConfig(
    { 'host-entry': 'src/host-entry.ts', 'host-body': 'src/host-body.ts' },
    { functionBodies: ['host-body'] },
  ),
])
