// Generates the API reference (site/api/) from the packages' published declarations with TypeDoc
// and typedoc-plugin-markdown. Each entry of api-entries.mjs gets a one-line wrapper module that
// re-exports the specifier exactly as a user imports it, so the module is named after the
// specifier and documents what the package's `exports` really give, not its source tree.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Application } from 'typedoc'
import { apiEntries } from '../api-entries.mjs'

const docsDir = fileURLToPath(new URL('..', import.meta.url))
const entriesDir = `${docsDir}.api-entries`
const outDir = `${docsDir}site/api`

export function wrapperFileName(specifier) {
  return `${specifier.replace(/^@/, '').replaceAll('/', '-')}.ts`
}

// Each specifier must resolve from this package, with its declarations built: say which is missing.
function checkResolvable(specifier) {
  const require = createRequire(`${docsDir}package.json`)
  try {
    require.resolve(specifier)
  } catch (error) {
    const pkg = specifier.split('/').slice(0, 2).join('/')
    throw new Error(
      `API entry ${specifier} does not resolve from apps/docs (${error.code}): list ${pkg} in apps/docs/package.json dependencies ("workspace:*") and build it (pnpm turbo run build --filter=@palitra/docs^...)`,
    )
  }
}

async function writeWrappers() {
  for (const { specifier } of apiEntries) checkResolvable(specifier)
  await rm(entriesDir, { recursive: true, force: true })
  await mkdir(entriesDir, { recursive: true })
  const files = []
  for (const { specifier, about } of apiEntries) {
    const file = `${entriesDir}/${wrapperFileName(specifier)}`
    const doc = `/**\n * ${about}\n *\n * \`\`\`js\n * import { … } from '${specifier}'\n * \`\`\`\n * @module ${specifier}\n */\n`
    await writeFile(file, `${doc}export * from '${specifier}'\n`)
    files.push(file)
  }
  return files
}

const entryPoints = await writeWrappers()
await rm(outDir, { recursive: true, force: true })
const app = await Application.bootstrapWithPlugins({
  entryPoints,
  tsconfig: `${docsDir}tsconfig.api.json`,
  plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
  out: outDir,
  readme: 'none',
  name: 'API reference',
  entryFileName: 'index',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  indexFormat: 'table',
  interfacePropertiesFormat: 'table',
  typeAliasPropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  enumMembersFormat: 'table',
  excludePrivate: true,
  // The declarations are bundled into hashed chunks; their file names mean nothing to a reader.
  disableSources: true,
  excludeInternal: true,
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
  sortEntryPoints: false,
  sidebar: { autoConfiguration: true, format: 'vitepress', pretty: false, collapsed: true },
  docsRoot: `${docsDir}site`,
  treatWarningsAsErrors: false,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  logLevel: 'Warn',
})
const project = await app.convert()
if (!project) throw new Error('TypeDoc could not convert the packages: see the messages above')
await app.generateOutputs(project)
if (app.logger.hasErrors()) process.exitCode = 1
