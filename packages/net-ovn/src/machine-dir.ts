import { hostname } from 'node:os'

/**
 * Where a host's files are on its machine: under root's own /run/xcluster, out of other users' reach, named
 * MACHINE.CLUSTER.HOST (never another directory there, such as net-bridge's records in /run/xcluster/netns).
 */
export const MACHINE_DIR = /^\/run\/xcluster\/[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,100}\.[a-z][a-z0-9-]{0,15}$/

/** A host's directory on its machine, named by this machine, the cluster and the host. */
export function machineDir(cluster: string, name: string): string {
  const here = hostname().replace(/[^A-Za-z0-9_-]/g, '-')
  return `/run/xcluster/${here}.${cluster}.${name}`
}
