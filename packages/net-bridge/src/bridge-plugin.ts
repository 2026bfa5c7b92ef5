import {
  type ClusterContext,
  CommandFailed,
  XclusterError,
  ipv4Address,
  isLoopbackAddress,
  type Plugin,
} from '@xcluster/core'
import { requireClusterNetns, targetNets } from './cluster-netns.js'
import { ensureBridge } from './bridge-device.js'
import { createTaps, removeTaps } from './taps.js'
import { tapNetArgs } from './tap-args.js'
import { bridgeName, tapName } from './names.js'

/** Resolvers on loopback answer inside the host's namespace only; from a netns they are unreachable. */
function warnOnLoopbackResolver(context: ClusterContext): void {
  const loopback = context.host.nameservers().filter(isLoopbackAddress)
  if (loopback.length > 0) {
    context.log(
      `WARNING: /etc/resolv.conf names the loopback resolver ${loopback.join(', ')}, which does not answer inside` +
        ` netns ${context.netns}; DNS from the cluster will fail. Point it at a real nameserver (e.g.` +
        ` disable systemd-resolved's stub).`,
    )
  }
}

/**
 * A bridge or tap refused for want of net_admin in this netns (a user in a netns that is not theirs) says what to do
 * instead of `ip`'s `Operation not permitted`.
 */
function notPermittedHint(error: unknown, context: ClusterContext): unknown {
  if (!(error instanceof CommandFailed) || !/Operation not permitted/.test(error.stderr)) return error
  const { user } = context.host
  return new XclusterError(
    `${error.message.split('\n')[0]}: making bridges and taps in netns ${context.netns} needs net_admin there, which` +
      ` ${user} does not have; root makes a netns of ${user}'s own, once, with \`xcluster nsadd IDX --user=${user}\`,` +
      ` then \`xcluster nsenter IDX\` and start there`,
  )
}

/** Bridges and taps: every net N is the bridge `xcbrN`, every NIC a tap on it. Needs the cluster's netns (root). */
export default function bridge(): Plugin {
  const name = '@xcluster/net-bridge'
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend'],
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        requireClusterNetns(context, 'bridge')
        warnOnLoopbackResolver(context)
        const { mtu, ipv6Prefix } = context.config
        try {
          for (const net of targetNets(context))
            if (await ensureBridge(context.host, net, { mtu, ipv6Prefix })) context.log(`created bridge xcbr${net}`)
          await createTaps(context.host, context.targets, mtu)
        } catch (error) {
          throw notPermittedHint(error, context)
        }
      })
      cluster.hooks.netSetup.tapPromise(name, async ({ node, nic }) => tapNetArgs(node, nic))
      cluster.hooks.nodeStopped.tapPromise(
        name,
        async (node, context) => void (await removeTaps(context.host, node.id)),
      )
      // On bridges the host side of the netns is on net 0 with every guest.
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort) => ({
        host: ipv4Address(0, node.id),
        port: guestPort,
      }))
      cluster.hooks.hostLink.tapPromise(name, async (node, nic) => tapName(nic.net, node.id))
      // Only the nets it attaches: a net another plugin carries is drawn by that plugin.
      cluster.hooks.picture.tapPromise(name, async (picture, context) => {
        const nets = []
        for (const net of picture.nets)
          nets.push(
            (await context.attachedBy(net.net)) === name
              ? { ...net, medium: `bridge ${bridgeName(net.net)} in netns ${context.netns ?? 'main'}` }
              : net,
          )
        return { ...picture, nets }
      })
    },
  }
}
