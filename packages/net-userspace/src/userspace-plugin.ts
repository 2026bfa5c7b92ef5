import type { Plugin } from '@xcluster/core'
import { forwardedEndpoint, multicastGroup, socketNetArgs, userNetArgs } from './userspace-args.js'

/** User-space networking: no root and no host preparation; net 0 is slirp, every other net a multicast socket. */
export default function userspace(): Plugin {
  const name = '@xcluster/net-userspace'
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend'],
    apply(cluster) {
      cluster.hooks.netSetup.tapPromise(name, async ({ node, nic, context }) =>
        nic.net === 0 ? userNetArgs(node, nic, context.config) : socketNetArgs(nic, context.config),
      )
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort, { config }) =>
        forwardedEndpoint(node, guestPort, config),
      )
      cluster.hooks.picture.tapPromise(name, async (picture, { config }) => ({
        ...picture,
        nets: picture.nets.map((net) => ({
          ...net,
          medium:
            net.net === 0
              ? `qemu user net, ssh on 127.0.0.1:${config.ports.ssh}+I`
              : `socket ${multicastGroup(net.net, config)} on lo`,
        })),
      }))
      // Said where users look: these segments are not private to the cluster's owner.
      cluster.hooks.report.tapPromise(name, async (lines, { config, nodes }) => {
        const nets = [...new Set(nodes.flatMap((node) => node.nics.map((nic) => nic.net)))]
          .filter((net) => net > 0)
          .sort((a, b) => a - b)
        if (nets.length === 0) return lines
        const groups = nets.map((net) => `${net} (${multicastGroup(net, config)})`).join(', ')
        return [
          ...lines,
          {
            text:
              `nets ${groups}: loopback multicast, not private: any local user can read and send frames there` +
              ` (bridges in a netns of the cluster's own are)`,
          },
        ]
      })
    },
  }
}
