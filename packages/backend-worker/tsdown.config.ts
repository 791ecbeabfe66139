import { defineConfig } from 'tsdown'
import { baseConfig } from '../../tsdown.base.ts'

export default defineConfig([
  { ...baseConfig, entry: { index: 'src/index.ts' } },
  {
    ...baseConfig,
    // The thread entry is one self-contained file: resolving and linking the packages it would
    // import (through the package manager's links) is a large part of a host's start-up, paid
    // before the first call of every runner. Core's per-thread state is kept in global slots, so
    // its copy in here and one a tasks module imports share it.
    entry: { 'host-entry': 'src/host-entry.ts' },
    noExternal: [/^@palitra\//],
    dts: false,
    clean: false,
  },
])
