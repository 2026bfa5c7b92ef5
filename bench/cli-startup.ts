// How long the installed CLI takes to answer, next to bare Node in the same run: the packages are
// packed, installed with npm into an empty project (from a registry on loopback), and each command
// run several times, the commands taking turns (bare Node among them) so that a busier moment
// weighs on all alike; the table shows medians. The commands run as a new user would: a home of
// their own (an empty workspace), no CA bundle to read (NODE_EXTRA_CA_CERTS, which costs every
// Node start 33 ms on these machines, is not passed on).
// Run: node --import ./packages/cli/bin/register-sources.mjs bench/cli-startup.ts [runs]   (pnpm bench:cli)
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { serveTarballs } from '@xcluster/test-support/local-registry'
import { packWorkspace } from '@xcluster/test-support/packed-workspace'

/** The workspace's CLI, run from its sources through tsx. */
const WORKSPACE_BIN = fileURLToPath(new URL('../packages/cli/bin/xcluster.mjs', import.meta.url))
const runs = Number(process.argv[2] ?? 9)
const root = await mkdtemp('/tmp/xcluster-bench-cli-')
const env = {
  PATH: process.env.PATH!,
  HOME: join(root, 'home'),
  USER: process.env.USER ?? 'root',
  XCLUSTER_ACCEL: 'tcg',
}

/** A command of the table: what it is, and how it is run. */
type Row = { what: string; file: string; args: string[]; cwd: string }

/** Each row's median time (ms), the rows taking turns `runs` times. */
function medians(rows: Row[]): number[] {
  const times = rows.map((): number[] => [])
  for (let k = 0; k < runs; k++)
    for (const [i, { file, args, cwd }] of rows.entries()) {
      // spawnSync: nothing but the program's own start and end is timed (execa's work per run was about 8 ms, added
      // to every row alike, which made the ratios look better than they are).
      const start = performance.now()
      spawnSync(file, args, { cwd, env, stdio: 'ignore' })
      times[i].push(performance.now() - start)
    }
  return times.map((row) => row.sort((a, b) => a - b)[Math.floor(row.length / 2)])
}

try {
  await mkdir(env.HOME)
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

  const rows: Row[] = [
    { what: 'bare node (node -e 0), the baseline', file: 'node', args: ['-e', '0'], cwd: project },
    { what: 'installed: xcluster --help', file: installed, args: ['--help'], cwd: project },
    {
      what: 'installed: completion of `xcluster st` (__complete st)',
      file: installed,
      args: ['__complete', 'st'],
      cwd: project,
    },
    { what: 'installed: xcluster status, no config file', file: installed, args: ['status'], cwd: project },
    {
      what: 'installed: xcluster --help, xcluster.config.ts from init',
      file: installed,
      args: ['--help'],
      cwd: withConfig,
    },
    {
      what: 'installed: xcluster status, xcluster.config.ts from init',
      file: installed,
      args: ['status'],
      cwd: withConfig,
    },
    {
      what: 'workspace sources through tsx: xcluster --help',
      file: 'node',
      args: [WORKSPACE_BIN, '--help'],
      cwd: project,
    },
  ]
  const times = medians(rows)
  console.log(`CLI start-up, median of ${runs} runs taking turns (ms; ratio to bare node)\n`)
  console.log('| what | ms | x bare node |\n|---|---|---|')
  for (const [i, { what }] of rows.entries())
    console.log(`| ${what} | ${times[i].toFixed(0)} | ${(times[i] / times[0]).toFixed(2)} |`)
} finally {
  await rm(root, { recursive: true, force: true })
}
