import type { Host } from '@xcluster/core'
import { type SshMachine, onMachine, overSsh } from '@xcluster/ssh-transport'

/**
 * The machine as seen from inside a host's network namespace: each program run there through nsenter, on this machine
 * or, for a host reached over ssh, on its machine.
 */
export function hostIn(host: Host, where: { netns: string; via?: string; sshConfig?: string }): Pick<Host, 'run'> {
  const machine: Pick<Host, 'run'> = onMachine(where) ? overSsh(host, where as SshMachine) : host
  return { run: (file, args, options) => machine.run('nsenter', [`--net=${where.netns}`, file, ...args], options) }
}
