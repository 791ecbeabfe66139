import { defineConfig } from 'tsdown'
import { baseConfig } from '../../tsdown.base.ts'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    task: 'src/task.ts',
    backend: 'src/backend.ts',
  },
  ...baseConfig,
})
