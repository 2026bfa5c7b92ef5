import { assertTrustedFile } from '@xcluster/core'
import { isExecutable } from '@xcluster/image'
import { delimiter, join } from 'node:path'

/** A coredns binary: the configured one, $GOPATH/bin, the workspace's bin/, then PATH; undefined when there is none. */
export function findCoredns(
  configured: string | undefined,
  workspace: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const candidates = [
    configured,
    env.GOPATH && join(env.GOPATH, 'bin', 'coredns'),
    join(workspace, 'bin', 'coredns'),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'coredns')),
  ]
  return candidates.find((path): path is string => !!path && isExecutable(path))
}

/**
 * The coredns program a start runs (see findCoredns), refused when another user could have written it or a directory
 * above it ($GOPATH of theirs, a planted bin/coredns).
 */
export async function trustedCoredns(
  configured: string | undefined,
  workspace: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const found = findCoredns(configured, workspace, env)
  if (found) await assertTrustedFile(found, 'the coredns program (option coredns, $GOPATH/bin, <workspace>/bin, PATH)')
  return found
}
