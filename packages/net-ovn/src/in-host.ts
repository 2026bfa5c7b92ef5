import type { Host } from '@xcluster/core'

/** The machine as seen from inside a host's network namespace: each program run there through nsenter. */
export function hostIn(host: Host, where: { netns: string }): Pick<Host, 'run'> {
  return { run: (file, args, options) => host.run('nsenter', [`--net=${where.netns}`, file, ...args], options) }
}
