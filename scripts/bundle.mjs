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
 * The image package's small helpers (reading JSON, finding a program, a file that may be gone, the image's paths),
 * which every command loads: inlined like the dependencies above, six files fewer to load; its index (the builds,
 * zod) stays an import.
 */
const IMAGE_HELPERS = /^@xcluster\/image\/(read-json|find-program|if-present|image-files)$/
const inlineImageHelpers = {
  name: 'inline-image-helpers',
  setup(build) {
    build.onResolve({ filter: IMAGE_HELPERS }, ({ path }) => ({
      path: join(root, 'packages/image/src', `${IMAGE_HELPERS.exec(path)[1]}.ts`),
    }))
  },
}

/**
 * Writes only what changed, each file renamed into place whole, and then removes the chunks (`NAME-HASH.js`) no entry
 * uses any more: an xcluster running from dist/ while a build runs (the e2e tests pack the workspace while others run)
 * never meets a missing or half-written file, and a build of unchanged sources changes nothing.
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
    if (/^[\w-]+-[A-Z0-9]{8}\.js$/.test(file) && !made.has(join(dist, file))) await rm(join(dist, file))
}

/**
 * What a command line loads first, per package, in chunks of its own: the front (the operations' declarations, the
 * session, the settings; the command line's words) and, behind it, the operations' modules (core's catalog loads
 * the one a command runs, which loads the rest of them). Each layer is one chunk, however many other entries and
 * dynamic imports share parts of it.
 */
const LAYERS = { core: { front: 'src/adapter.ts', behind: /\/src\/operations\// }, cli: { front: 'src/main.ts' } }

/** The modules `entry` reaches without a dynamic import, as a bundle's metafile lists them (paths from the root). */
function staticClosure(metafile, entry) {
  const reached = new Set()
  const visit = (path) => {
    if (reached.has(path) || !metafile.inputs[path]) return
    reached.add(path)
    for (const next of metafile.inputs[path].imports) if (next.kind === 'import-statement') visit(next.path)
  }
  visit(entry)
  return reached
}

/**
 * esbuild makes a chunk of each set of entries (dynamic imports included) that share code: with an operation per
 * dynamic import, the front's modules were spread over 20 small chunks, and Node pays for each file it loads (5-10
 * files for `xcluster --help` instead of 25-30). Every other entry and dynamic import importing the layers too, the
 * modules of a layer are shared by all alike: one chunk each.
 */
function layered(dir, layer, metafile, entryPoints) {
  const front = join(dir, layer.front).slice(root.length)
  const inFront = staticClosure(metafile, front)
  const dynamic = Object.values(metafile.inputs).flatMap((input) => input.imports)
  const targets = new Set([
    ...entryPoints.map((entry) => entry.slice(root.length)),
    ...dynamic.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
  ])
  // An entry that reaches nothing of the front stays as small as it is (`@xcluster/core/config`, what a config file
  // imports).
  for (const entry of entryPoints.map((path) => path.slice(root.length)))
    if (![...staticClosure(metafile, entry)].some((module) => inFront.has(module))) targets.delete(entry)
  const behind = [...targets].filter((target) => layer.behind?.test(target) && !inFront.has(target))
  const imports = [front, ...behind].map((module) => `import '${join(root, module)}'\n`).join('')
  return {
    name: 'layered',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const relative = path.slice(root.length)
        if (!targets.has(relative) || inFront.has(relative)) return undefined
        return { contents: `${await readFile(path, 'utf8')}\n${imports}`, loader: 'ts' }
      })
    },
  }
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
  const options = {
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
    plugins: name === 'image' ? [] : [inlineImageHelpers],
  }
  const layer = LAYERS[name]
  if (layer) {
    // A first pass finds the entries and dynamic imports; the second bundles each of them importing the layers.
    const { metafile } = await build({ ...options, metafile: true })
    options.plugins = [...options.plugins, layered(dir, layer, metafile, entryPoints)]
  }
  const { outputFiles } = await build(options)
  await replaceChanged(join(dir, 'dist'), outputFiles)
}
