import { execa } from 'execa'
import { XclusterError } from '../errors.js'

/** Runs a host program and returns its stdout; a failure names the command and the end of its stderr. */
export async function run(file: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  const result = await execa(file, args, { ...options, reject: false, stdin: 'ignore' })
  if (result.failed) {
    const detail = (result.stderr || result.stdout || result.shortMessage || '').trim().split('\n').slice(-5).join('\n')
    throw new XclusterError(`${file} ${args.join(' ')} failed: ${detail}`)
  }
  return result.stdout
}

/** Runs a program on the user's terminal (ssh, a shell) and returns its exit status. */
export async function runAttached(file: string, args: string[]): Promise<number> {
  const result = await execa(file, args, { stdio: 'inherit', reject: false })
  return result.exitCode ?? 1
}
