import { defineConfig } from 'tsdown'
import { baseConfig, entryFilesConfig } from '../../tsdown.base.ts'

export default defineConfig([
  { ...baseConfig, entry: { index: 'src/index.ts' } },
  ...entryFilesConfig({ relay: 'src/relay.ts', child: 'src/child.ts' }),
])
