import type { TsdownPlugin, UserConfig } from 'tsdown'

/** `a, b as c` -> `a, b: c`: an import's named bindings as a destructuring pattern. */
const asPattern = (named: string) => named.replace(/\s+as\s+/g, ': ')

/**
 * An entry file's builtins are taken with `process.getBuiltinModule` (Node >= 20.16, Bun, Deno),
 * not `import`: an ES import of a builtin builds its module namespace anew in every thread, and
 * that was a measurable part of a host's start-up. Only the bundle's own top-level import lines
 * of `node:` modules are rewritten; any other form stays an import.
 */
const builtinsWithoutImport: TsdownPlugin = {
  name: 'palitra:builtins-without-import',
  renderChunk(code: string) {
    return code.replace(
      /^import (.+?) from "(node:[\w/]+)";$/gm,
      (line: string, clause: string, id: string) => {
        const from = `process.getBuiltinModule(${JSON.stringify(id)})`
        const namespace = /^\* as (\w+)$/.exec(clause)
        if (namespace) return `const ${namespace[1]} = ${from};`
        const parts = /^(?:(\w+)(?:, )?)?(\{[^}]*\})?$/.exec(clause)
        if (!parts || (!parts[1] && !parts[2])) return line
        const [, whole, named] = parts
        if (whole && named)
          return `const ${whole} = ${from};\nconst ${asPattern(named)} = ${whole};`
        return `const ${whole ?? asPattern(named!)} = ${from};`
      },
    )
  },
}

/**
 * A script run as a function's body (see backend-worker's compile-cache.ts), not a module: the
 * bundle must import and export nothing, and loses the empty `export {}` that marks it a module.
 */
const asFunctionBody: TsdownPlugin = {
  name: 'palitra:as-function-body',
  renderChunk(code: string, chunk: { fileName: string }) {
    const body = code.replace(/^export \{\s*\};?$/m, '')
    if (/^(?:import|export)\b/m.test(body) || /\bimport\.meta\b/.test(body))
      throw new Error(
        `${chunk.fileName} is run as a function body: it may not import or export (${(/^(?:import|export)\b.*$/m.exec(body) ?? /.{0,40}\bimport\.meta\b.{0,40}/.exec(body))?.[0]})`,
      )
    return body
  },
}

/** What every package builds the same way: ESM for Node >= 20.19 with declarations, `.js` names. */
export const baseConfig = {
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: true,
  clean: true,
  fixedExtension: false,
} satisfies UserConfig

/**
 * Files a thread or a child process loads by path (a host's entry, a relay) are each one
 * self-contained file: resolving and linking the packages they would import (through the package
 * manager's links) is a large part of a host's start-up, paid before every runner's first call.
 * Core keeps its per-thread state in global slots, so its copy in such a file and the one a tasks
 * module imports share it. Other packages (tinypool) stay imports.
 */
export function entryFilesConfig(
  entries: Record<string, string>,
  options: { functionBodies?: readonly string[] } = {},
): UserConfig[] {
  // One build each: entries built together would share chunks, and a child process would then
  // load what only its relay needs.
  return Object.entries(entries).map(([name, source]) => ({
    ...baseConfig,
    entry: { [name]: source },
    noExternal: [/^@palitra\//],
    plugins: options.functionBodies?.includes(name)
      ? [builtinsWithoutImport, asFunctionBody]
      : [builtinsWithoutImport],
    // Whitespace and local names cost a thread parse time before its first call (the whole file
    // at load, each function again when it first runs); function names stay for stack traces,
    // and the source map (for --enable-source-maps) leads back to the source.
    minify: {
      compress: false,
      mangle: { toplevel: false, keepNames: true },
      codegen: { removeWhitespace: true },
    },
    sourcemap: true,
    dts: false,
    clean: false,
  }))
}
