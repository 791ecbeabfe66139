import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.mjs'],
    // Samples start workers, child processes, a PostgreSQL server and Chromium: one file at a time
    // on a small machine, each wait bounded by its own deadline below these.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
