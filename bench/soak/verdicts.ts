// Child of bench/soak.ts: runs cases FROM.. of the verdict fuzz (verdict-cases.ts) in-process, each in a fresh
// directory of its own, and prints one JSON line per case: { index, status, stdout, stderr }. The parent kills it
// when a case hangs and goes on after that case. Alone: `pnpm soak --only=verdicts`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../../packages/cli/src/main.js'
import { verdictCases } from './verdict-cases.js'

const CLI_PACKAGE = fileURLToPath(new URL('../../packages/cli', import.meta.url))
const [from, count] = process.argv.slice(2).map(Number)
const cases = verdictCases()

for (let index = from; index < Math.min(cases.length, from + count); index++) {
  const { config, env, argv, manifest } = cases[index]
  const dir = await mkdtemp('/tmp/xcluster-verdict-')
  const workspace = join(dir, 'workspace')
  let stdout = ''
  let stderr = ''
  let status: number | string
  try {
    if (config !== undefined) await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
    if (manifest !== undefined) {
      await mkdir(join(workspace, 'snapshots', 's1'), { recursive: true, mode: 0o700 })
      await writeFile(join(workspace, 'snapshots', 's1', 'snapshot.json'), JSON.stringify(manifest), { mode: 0o600 })
    }
    status = await main(argv, {
      cwd: dir,
      // Nothing of the machine's: a workspace and a state directory of the case's own.
      env: { PATH: process.env.PATH, XCLUSTER_WORKSPACE: workspace, XCLUSTER_TMP: join(dir, 'state'), ...env },
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      defaultPlugins: CLI_PACKAGE,
    })
  } catch (error) {
    status = `crash: ${(error as Error).stack}`
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  console.log(JSON.stringify({ index, status, stdout: stdout.slice(0, 2000), stderr: stderr.slice(0, 2000) }))
}
