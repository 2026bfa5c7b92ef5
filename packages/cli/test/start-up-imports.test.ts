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

describe('the command line loads only the declarations of the operations before it runs one', () => {
  test('main.ts reaches neither commander, zod, the hooks, the image package nor the cluster', async () => {
    const reached = [...(await staticallyLoaded('../src/main.ts'))]
    expect(reached).toContain('packages/core/src/operations/index.ts')
    for (const heavy of ['commander', 'zod', 'tapable', 'semver', 'execa', 'tar', 'jiti', '@viz-js/viz'])
      expect(reached).not.toContain(heavy)
    for (const module of ['packages/image/src/index.ts', 'packages/core/src/lifecycle/cluster.ts'])
      expect(reached.filter((path) => path.endsWith(module))).toEqual([])
  })
})
