import { type ClusterContext, type Node, type Plugin, XclusterError, netdevId, nicDevice } from '@xcluster/core'
import { ensureSwitches, runningSwitches, stopSwitches, switchDir } from './switches.js'

export interface VdeOptions {
  /** The nets a VDE switch carries (default: every net but 0, which the network backend keeps for ssh). */
  nets?: number[]
}

const netsOf = (nodes: Node[]) =>
  [...new Set(nodes.flatMap((node) => node.nics.map((nic) => nic.net)))].sort((a, b) => a - b)

/**
 * Nets on VDE switches (vde_switch, one per net, run by the cluster's owner: no root): each NIC of a net it carries
 * is a port of that net's switch. The switches start with the first VM on their net and end with the cluster.
 */
export default function vde(options: VdeOptions = {}): Plugin {
  const name = '@xcluster/net-vde'
  const nets = options.nets ?? []
  if (!Array.isArray(nets) || !nets.every((net) => Number.isInteger(net) && net >= 0 && net <= 255))
    throw new XclusterError(`vde(): nets must be a list of net numbers 0-255, got ${JSON.stringify(nets).slice(0, 60)}`)
  const carries = (net: number) => (options.nets ? nets.includes(net) : net > 0)
  return {
    name,
    coreRange: '^0.1.0',
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, ({ host, stateDir, targets }) =>
        ensureSwitches(host, stateDir, netsOf(targets).filter(carries)),
      )
      cluster.hooks.netSetup.tapPromise(name, async ({ nic, context }) =>
        carries(nic.net)
          ? ['-netdev', `vde,id=${netdevId(nic)},sock=${switchDir(context.stateDir, nic.net)}`, ...nicDevice(nic)]
          : undefined,
      )
      cluster.hooks.afterStop.tapPromise(name, ({ stateDir }) => stopSwitches(stateDir))
      const mine = async (net: number, context: ClusterContext) => (await context.attachedBy(net)) === name
      cluster.hooks.picture.tapPromise(name, async (picture, context) => {
        const drawn = []
        for (const net of picture.nets)
          drawn.push((await mine(net.net, context)) ? { ...net, medium: `vde_switch ${net.net}` } : net)
        return { ...picture, nets: drawn }
      })
      // A switch that died while VMs are on its net is a problem status names, with the fix.
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const running = await runningSwitches(context.stateDir)
        const report = []
        for (const net of netsOf(context.nodes))
          if (await mine(net, context)) {
            const pid = running.get(net)
            report.push(
              pid === undefined
                ? {
                    text: `vde: net ${net}: no switch`,
                    problem: `the VDE switch of net ${net} is gone: \`xcluster start\` starts the cluster again`,
                  }
                : { text: `vde: net ${net}: vde_switch (pid ${pid}) at ${switchDir(context.stateDir, net)}` },
            )
          }
        return [...lines, ...report]
      })
    },
  }
}
