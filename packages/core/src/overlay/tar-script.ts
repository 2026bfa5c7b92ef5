import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { shellVariables } from '../config/shell-variables.js'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import { CommandFailed, type Host } from '../host/host.js'
import { assertTrustedFile } from '../host/trusted-path.js'
import { isExecutableFile } from '../host/executable.js'
import { ifPresent } from '../host/if-present.js'

/** The shell tool's overlay form: a directory with an executable `tar` that writes the overlay's tar file. */
export async function tarScriptOf(dir: string): Promise<string | undefined> {
  const script = join(dir, 'tar')
  return (await isExecutableFile(script)) ? script : undefined
}

/**
 * What a tar script sees (reference 9.1): the host's environment (SETUP, TOPOLOGY, TEST, XCLUSTER,
 * the user's own `__*` and `xcluster_*`) with the effective settings under their shell names.
 */
export function tarScriptEnvironment(config: ClusterConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const inherited = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  return { ...inherited, ...shellVariables(config) }
}

/** Runs `<dir>/tar <out>` in the overlay's directory; its failure names the overlay and what it said. */
export async function runTarScript(
  host: Host,
  name: string,
  script: string,
  out: string,
  env: Record<string, string>,
): Promise<void> {
  // It runs with this user's rights: nobody else may have written it.
  await assertTrustedFile(script, `the tar script of overlay ${name}`)
  try {
    await host.run(script, [out], { env, cwd: join(script, '..') })
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error
    throw new XclusterError(
      `overlay ${name}: ${script} failed${error.exitCode === undefined ? '' : ` (exit status ${error.exitCode})`}:` +
        ` ${error.stderr.trim().split('\n').slice(-5).join('\n') || 'no output on stderr'}`,
    )
  }
  if (!(await ifPresent(stat(out)))?.size)
    throw new XclusterError(`overlay ${name}: ${script} wrote no tar file to ${out}`)
}
