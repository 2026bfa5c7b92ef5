import { describe, expect, test } from '@jest/globals'
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

// What Node loads before `xcluster --help` or completion answers: the modules the command line imports statically,
// as the bundle step finds them (imports inside a function, `await import(...)`, load when they run).
async function staticallyLoaded(entry: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    conditions: ['default'],
    outdir: '/nonexistent',
    logLevel: 'silent',
    // Other packages' sources are followed too (the workspace's exports point at them); npm packages are not.
    external: ['commander', 'zod', 'tapable', 'semver', 'execa', 'tar', 'jiti', '@viz-js/viz', 'dns-packet'],
  })
  const reached = new Set<string>()
  const visit = (path: string) => {
    if (reached.has(path)) return
    reached.add(path)
    for (const next of metafile.inputs[path]?.imports ?? []) if (next.kind === 'import-statement') visit(next.path)
  }
  for (const [path, input] of Object.entries(metafile.inputs))
    if (path.endsWith('cli/src/main.ts'))
      for (const next of input.imports) if (next.kind === 'import-statement') visit(next.path)
  return reached
}

describe('the command line loads only the catalog of the operations before it runs one', () => {
  test('main.ts reaches no operation, commander, zod, the hooks, the image package nor the cluster', async () => {
    const reached = [...(await staticallyLoaded('../src/main.ts'))]
    expect(reached).toContain('packages/core/src/operations/catalog.ts')
    // Each operation's module is loaded when it runs (the catalog has their names and lines of help).
    expect(reached.filter((path) => /\/operations\/(status|start|stop|vm)\.ts$/.test(path))).toEqual([])
    for (const heavy of ['commander', 'zod', 'tapable', 'semver', 'execa', 'tar', 'jiti', '@viz-js/viz'])
      expect(reached).not.toContain(heavy)
    for (const module of ['packages/image/src/index.ts', 'packages/core/src/lifecycle/cluster.ts'])
      expect(reached.filter((path) => path.endsWith(module))).toEqual([])
  })

  test("nor Node's modules that are slow to load: child_process, crypto, net (each 7-8 ms)", async () => {
    const reached = await staticallyLoaded('../src/main.ts')
    for (const slow of ['node:child_process', 'node:crypto', 'node:net', 'node:dgram'])
      expect(reached).not.toContain(slow)
  })

  test('nor the code that reads a config file or a hook: only the search for one', async () => {
    const reached = [...(await staticallyLoaded('../src/main.ts'))]
    expect(reached).toContain('packages/core/src/config/config-search.ts')
    for (const module of ['config/load.ts', 'load/hook-module.ts', 'config/guarded-jiti.ts'])
      expect(reached.filter((path) => path.endsWith(module))).toEqual([])
  })
})
