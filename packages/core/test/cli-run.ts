import { main } from '../src/cli/main.js'

/** Runs the CLI in-process in `cwd`; returns what it wrote and its exit status. */
export async function runCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const status = await main(argv, { cwd, env: { PATH: process.env.PATH, ...env }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) })
  return { status, stdout, stderr }
}
