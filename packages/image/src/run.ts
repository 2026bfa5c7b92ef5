import { programPath } from './find-program.js'

/** Runs a host program; on failure the error names the command and its stderr; a missing one is ProgramMissing. */
export async function run(
  file: string,
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<string> {
  const program = programPath(file)
  const { execa } = await import('execa')
  const result = await execa(program, args, { ...options, reject: false })
  if (result.exitCode !== 0 || result.failed) {
    const detail = (result.stderr || result.stdout || result.shortMessage || '').trim().split('\n').slice(-5).join('\n')
    throw new Error(`${file} ${args.join(' ')} failed: ${detail}`)
  }
  return result.stdout
}

/** Runs `producer | consumer` and returns the consumer's stdout as bytes. */
export async function pipeBytes(
  producer: [string, string[]],
  consumer: [string, string[]],
  cwd: string,
): Promise<Uint8Array> {
  const { execa } = await import('execa')
  const result = await execa(producer[0], producer[1], { cwd }).pipe(consumer[0], consumer[1], {
    cwd,
    encoding: 'buffer',
  })
  return result.stdout
}
