import { type ClusterContext, XclusterError } from '@xcluster/core'

/** Refuses to make a backend's host side outside a cluster netns, saying how to get into one. */
export function requireClusterNetns(context: ClusterContext, backend: string): void {
  if (!context.netns) {
    throw new XclusterError(
      `the ${backend} backend runs inside a cluster netns, not in the host's own namespace: run \`xcluster nsadd 1\`,` +
        ` then \`xcluster nsenter 1\` and start there`,
    )
  }
}

/** The nets the VMs of this run use, in order: each needs its bridge. */
export function targetNets(context: ClusterContext): number[] {
  return [...new Set(context.targets.flatMap((node) => node.nics.map((nic) => nic.net)))].sort((a, b) => a - b)
}
