// How long the installed CLI takes to answer, next to bare Node in the same run: the packages are
// packed, installed with npm into an empty project (from a registry on loopback), and each command
// run several times; the table shows medians.
// Run: node --import ./packages/cli/bin/register-sources.mjs bench/cli-startup.ts [runs]   (pnpm bench:cli)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { serveTarballs } from '@xcluster/test-support/local-registry'
import { packWorkspace } from '@xcluster/test-support/packed-workspace'

/** The workspace's CLI, run from its sources through tsx. */
const WORKSPACE_BIN = fileURLToPath(new URL('../packages/cli/bin/xcluster.mjs', import.meta.url))
const runs = Number(process.argv[2] ?? 9)
const env = {
  PATH: process.env.PATH!,
  HOME: process.env.HOME!,
  USER: process.env.USER ?? 'root',
  XCLUSTER_ACCEL: 'tcg',
}

async function median(file: string, args: string[], cwd: string): Promise<number> {
  const times: number[] = []
  for (let k = 0; k < runs; k++) {
    const start = performance.now()
    await execa(file, args, { cwd, reject: false, extendEnv: false, env })
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
}

const root = await mkdtemp('/tmp/xcluster-bench-cli-')
try {
  await mkdir(join(root, 'packs'))
  const registry = await serveTarballs(await packWorkspace(join(root, 'packs')))
  const project = join(root, 'project')
  await mkdir(project)
  await writeFile(
    join(project, '.npmrc'),
    `@xcluster:registry=${registry.url}/\ncache=${root}/npm-cache\nfund=false\naudit=false\n`,
  )
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'bench', private: true, type: 'module' }))
  await execa('npm', ['install', '-D', '@xcluster/cli'], { cwd: project, extendEnv: false, env })
  await registry.close()
  const installed = join(project, 'node_modules/.bin/xcluster')
  const withConfig = join(root, 'with-config')
  await execa(installed, ['init', withConfig], { cwd: project, extendEnv: false, env })
  await execa('ln', ['-s', join(project, 'node_modules'), join(withConfig, 'node_modules')])

  const rows: [string, number][] = [
    ['bare node (node -e 0), the baseline', await median('node', ['-e', '0'], project)],
    ['installed: xcluster --help', await median(installed, ['--help'], project)],
    ['installed: completion of `xcluster st` (__complete st)', await median(installed, ['__complete', 'st'], project)],
    ['installed: xcluster status, no config file', await median(installed, ['status'], project)],
    ['installed: xcluster status, xcluster.config.ts from init', await median(installed, ['status'], withConfig)],
    ['workspace sources through tsx: xcluster --help', await median('node', [WORKSPACE_BIN, '--help'], project)],
  ]
  const base = rows[0][1]
  console.log(`CLI start-up, median of ${runs} runs (ms; ratio to bare node)\n`)
  console.log('| what | ms | x bare node |\n|---|---|---|')
  for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(0)} | ${(ms / base).toFixed(1)} |`)
} finally {
  await rm(root, { recursive: true, force: true })
}
