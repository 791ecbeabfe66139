export async function where() {
  return { pid: process.pid, thread: (await import('node:worker_threads')).threadId }
}
