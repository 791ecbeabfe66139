import os from 'node:os'

/** The pooled subjects' size: one host per core. */
export const poolSize = () => os.availableParallelism?.() ?? os.cpus().length
