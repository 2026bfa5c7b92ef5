import { spawn } from 'node:child_process'

/**
 * Types `line` on the console of a VM (`command` runs `xcluster vm ID`, with its cwd and environment) until its output
 * matches `until` (30 s at most), then detaches with Ctrl-].
 */
export async function onConsole(
  command: string[],
  options: { cwd: string; env?: Record<string, string> },
  line: string,
  until: RegExp,
): Promise<{ output: string; exitCode: number | null }> {
  const [file, ...args] = command
  const console = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env } })
  let output = ''
  console.stdout.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((done) => console.on('exit', done))
  try {
    for (let k = 0; k < 60 && !until.test(output); k++) {
      console.stdin.write(`${line}\r`)
      await new Promise((r) => setTimeout(r, 500))
    }
    console.stdin.write('\x1d')
    return { output, exitCode: await exited }
  } finally {
    console.kill()
  }
}
