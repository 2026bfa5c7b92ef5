import { ipv4Address, type Plugin } from '@xcluster/core'
import { tapNetArgs } from './tap-args.js'

/** Bridges and taps: every net N is the bridge `xcbrN`, every NIC a tap on it. Needs the cluster's netns (root). */
export default function bridge(): Plugin {
  const name = '@xcluster/net-bridge'
  return {
    name,
    coreRange: '^0.1.0',
    netBackend: 'bridge',
    apply(cluster) {
      cluster.hooks.netSetup.tapPromise(name, async ({ node, nic }) => tapNetArgs(node, nic))
      // On bridges the host side of the netns is on net 0 with every guest.
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort) => ({ host: ipv4Address(0, node.id), port: guestPort }))
    },
  }
}
