import { fileURLToPath } from 'node:url'
import { main } from '../../cli/src/main.js'

/** The xcluster program's package: its dependencies are the default cluster's plugins. */
const CLI_PACKAGE = fileURLToPath(new URL('../../cli', import.meta.url))

/** Runs the CLI in-process in `cwd`, as the xcluster program does; returns what it wrote and its exit status. */
export async function runCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const status = await main(argv, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    defaultPlugins: CLI_PACKAGE,
  })
  return { status, stdout, stderr }
}
