// After `tsc -b`: each published package's entry points bundled into one module graph of its own (esbuild, ESM,
// shared code in chunks), so that Node loads a few files per package instead of every module one by one. Other
// packages (@xcluster/* and the dependencies, but for the few small ones inlined below) stay imports; tsc's other
// outputs (the DNS server's process, the declarations) stay as they are. Run by `pnpm build`.
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url).pathname
const INLINED = new Set(['commander', 'tapable', 'semver'])

/**
 * Writes only what changed, each file renamed into place whole, and then removes the chunks no entry uses any more:
 * an xcluster running from dist/ while a build runs (the e2e tests pack the workspace while others run) never meets
 * a missing or half-written file, and a build of unchanged sources changes nothing.
 */
async function replaceChanged(dist, outputFiles) {
  for (const file of outputFiles) {
    const before = await readFile(file.path).catch(() => undefined)
    if (before?.equals(file.contents)) continue
    const next = `${file.path}.${process.pid}.tmp`
    await writeFile(next, file.contents)
    await rename(next, file.path)
  }
  const made = new Set(outputFiles.map((file) => file.path))
  for (const file of await readdir(dist))
    if (/^chunk-\w+\.js$/.test(file) && !made.has(join(dist, file))) await rm(join(dist, file))
}

for (const name of await readdir(join(root, 'packages'))) {
  const dir = join(root, 'packages', name)
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}'))
  // The published entries: the exports' modules and the programs (bin).
  const built = [
    ...Object.values(manifest.publishConfig?.exports ?? {}).map((target) => target.default),
    ...Object.values(manifest.publishConfig?.bin ?? {}),
  ]
  if (built.length === 0) continue
  // Each entry's built file is its source's counterpart: ./dist/bin.js from src/bin.ts.
  const entryPoints = built.map((file) => join(dir, file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')))
  const { outputFiles } = await build({
    entryPoints,
    outbase: join(dir, 'src'),
    outdir: join(dir, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Other packages stay imports, but for the small ones every command loads (the command line, the hooks, the
    // schemas, version ranges): inlined, they are read as part of the bundle instead of module by module.
    external: Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
      (dependency) => !INLINED.has(dependency),
    ),
    // At the top of dist/, as deep as the entries: code that finds files beside it (../package.json) finds them.
    chunkNames: '[name]-[hash]',
    // The CommonJS ones inlined (commander, tapable, semver) require Node's modules: a require of their own.
    banner: {
      js:
        "import { createRequire as __xclusterRequire } from 'node:module';" +
        ' const require = __xclusterRequire(import.meta.url);',
    },
    logLevel: 'warning',
    write: false,
  })
  await replaceChanged(join(dir, 'dist'), outputFiles)
}
