import { defineConfig } from 'tsdown'
import { baseConfig } from '../../tsdown.base.ts'

// The relay and the two host entries are loaded by file: each is its own entry.
export default defineConfig({
  ...baseConfig,
  entry: {
    index: 'src/index.ts',
    relay: 'src/relay.ts',
    'host-thread': 'src/host-thread.ts',
    'host-process': 'src/host-process.ts',
  },
})
