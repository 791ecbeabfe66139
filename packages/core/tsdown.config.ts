import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    task: 'src/task.ts',
    backend: 'src/backend.ts',
    'thread-entry': 'src/host/thread-entry.ts',
    conformance: 'src/conformance/index.ts',
  },
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: true,
  clean: true,
  fixedExtension: false,
  external: ['vitest'],
})
