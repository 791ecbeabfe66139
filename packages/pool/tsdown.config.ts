import { defineConfig } from 'tsdown'
import { baseConfig, entryFilesConfig } from '../../tsdown.base.ts'

// The relay and the two host entries are loaded by file.
export default defineConfig([
  { ...baseConfig, entry: { index: 'src/index.ts' } },
  ...entryFilesConfig({
    relay: 'src/relay.ts',
    'host-thread': 'src/host-thread.ts',
    'host-process': 'src/host-process.ts',
  }),
])
