// fetch-tasks.mjs
import { getSignal } from '@palitra/core/task'

export async function fetchText(url) {
  const response = await fetch(url, { signal: getSignal() }) // aborted with the batch
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return response.text()
}
