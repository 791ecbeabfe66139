// synckit: one worker file per function, registered with runAsWorker.
import { readFile } from 'node:fs/promises'
import { runAsWorker } from 'synckit'

runAsWorker(async (file) => JSON.parse(await readFile(file, 'utf8')).name)
