// A config file with top-level await: require() cannot load it (ERR_REQUIRE_ASYNC_MODULE).
import { readFile } from 'node:fs/promises'

const defaults = JSON.parse(await readFile(new URL('./defaults.json', import.meta.url), 'utf8'))

export default async () => ({
  ...defaults,
  port: Number(process.env.PORT ?? defaults.port),
})
