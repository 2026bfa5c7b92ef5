import { hostname } from 'node:os'

/** Where a host's files are on its machine: under root's own /run/xcluster, out of other users' reach. */
export const MACHINE_DIR = /^\/run\/xcluster\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,200}$/

/** A host's directory on its machine, named by this machine, the cluster and the host. */
export function machineDir(cluster: string, name: string): string {
  const here = hostname().replace(/[^A-Za-z0-9_-]/g, '-')
  return `/run/xcluster/${here}.${cluster}.${name}`
}
