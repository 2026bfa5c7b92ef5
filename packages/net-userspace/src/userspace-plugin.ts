import type { ClusterContext, Plugin } from '@xcluster/core'
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
      // Only the nets it attaches: a net another plugin carries is drawn and reported by that plugin.
      const mine = async (net: number, context: ClusterContext) => (await context.attachedBy(net)) === name
      cluster.hooks.picture.tapPromise(name, async (picture, context) => {
        const { config } = context
        const nets = []
        for (const net of picture.nets) {
          if (!(await mine(net.net, context))) nets.push(net)
          else
            nets.push({
              ...net,
              medium:
                net.net === 0
                  ? `qemu user net, ssh on 127.0.0.1:${config.ports.ssh}+I`
                  : `socket ${multicastGroup(net.net, config)} on lo`,
            })
        }
        return { ...picture, nets }
      })
      // Said where users look: these segments are not private to the cluster's owner.
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const { config, nodes } = context
        const nets = []
        for (const net of new Set(nodes.flatMap((node) => node.nics.map((nic) => nic.net))))
          if (net > 0 && (await mine(net, context))) nets.push(net)
        nets.sort((a, b) => a - b)
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
