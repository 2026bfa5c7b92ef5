import { isAbsolute } from 'node:path'
import { type ClusterContext, type Node, type Plugin, XclusterError, ipv4Address, roleOf } from '@xcluster/core'
import { requireClusterNetns, tapName, tapNetArgs, targetNets } from '@xcluster/net-bridge'
import { ovnAnswers } from './daemons.js'
import { clusterOvn, requireHostsAnswer, teardown } from './cluster-ovn.js'
import { addPorts, ensureNet, hostOf, removePorts } from './logical.js'
import { hostReachable } from './hosts.js'
import { HOSTS_SETTING } from './hosts-setting.js'
import { hostIn } from './in-host.js'
import { launchOnMachine } from '@xcluster/ssh-transport'
import { askMachine } from './ssh-host.js'
import { onMachine } from '@xcluster/ssh-transport'
import { geneveMtu, mtuProblem, underlayMtuOf } from './geneve-mtu.js'
import type { OvnOptions } from './ovn-options.js'
import { ovnReport } from './ovn-report.js'
import { place } from './placement.js'
import { type OvnHost, clusterName, hostLabel, readOvnState, writeOvnState } from './ovn-state.js'

const name = '@xcluster/net-ovn'

/**
 * What is left of a stopped VM on its host: on a machine its qemu, which outlives the ssh process that stood for it
 * here. Whether its host could be reached: one that cannot keeps the VM's taps (said).
 */
async function endOnHost(context: ClusterContext, on: OvnHost, node: Node): Promise<boolean> {
  const unreachable = onMachine(on)
    ? await askMachine(context.host, on, 'end-vm', { dir: on.dir, id: node.id }).then(
        () => undefined,
        (error: Error) => error.message,
      )
    : (await hostReachable(on))
      ? undefined
      : `${on.netns} is gone`
  if (unreachable)
    context.log(`${node.hostname}: host ${hostLabel(on)} cannot be reached (${unreachable}): its taps stay`)
  return unreachable === undefined
}

/**
 * OVN: every net N is a logical switch, every NIC a tap on the integration bridge bound to a logical
 * port (addresses unknown, no port security: routers forward foreign addresses), every northbound row
 * tagged with the cluster's name. The central (NB, SB, northd) and a chassis (ovn-controller on an Open vSwitch of
 * the cluster's own, user-space datapath) run in the cluster's netns (`xcluster nsadd`); with `hosts`, each host is a
 * chassis too, and the central may run on one of them.
 */
export default function ovn(options: OvnOptions = {}): Plugin {
  const underlayMtu = underlayMtuOf(options.underlayMtu)
  if (options.sshConfig !== undefined && !(typeof options.sshConfig === 'string' && isAbsolute(options.sshConfig)))
    throw new XclusterError(
      `@xcluster/net-ovn: sshConfig ${JSON.stringify(options.sshConfig)} must be an absolute path`,
    )
  if (options.central !== undefined && typeof options.central !== 'string')
    throw new XclusterError(`@xcluster/net-ovn: central ${JSON.stringify(options.central)} must be a host's name`)
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend', 'hosts'],
    // Its own setting: the hosts it spreads the VMs over (--hosts, XCLUSTER_HOSTS, hosts in the config).
    settings: [HOSTS_SETTING],
    // The VMs' MTU leaves Geneve its bytes on the underlay.
    configure: (user) => geneveMtu(user, underlayMtu),
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        requireClusterNetns(context, 'OVN')
        const state = await clusterOvn(context, { ...options, underlayMtu })
        try {
          const { mtu, ipv6Prefix } = context.config
          const tooBig = state.hosts.length > 0 && mtuProblem(mtu, state.underlayMtu)
          if (tooBig) throw new XclusterError(`mtu ${mtu} ${tooBig}`)
          await requireHostsAnswer(context, state)
          state.placement = place(state.hosts, state.placement, context.targets, roleOf)
          for (const net of targetNets(context))
            await ensureNet(context.host, context.stateDir, state, net, mtu, ipv6Prefix)
          await addPorts(context.host, context.stateDir, state, context.targets, mtu)
        } finally {
          // Recorded whatever happened: a failed start's afterStop takes back what was made.
          await writeOvnState(context.stateDir, state)
        }
      })
      cluster.hooks.netSetup.tapPromise(name, async ({ node, nic }) => {
        const [netdev, tap, ...device] = tapNetArgs(node, nic)
        // The user-space datapath forwards what qemu writes as it is: without a vnet header qemu
        // offers the guest no checksum offload, so every packet leaves the VM with its checksums.
        return [netdev, `${tap},vnet_hdr=off`, ...device]
      })
      // A VM placed on a host runs in that host's network namespace.
      cluster.hooks.launch.tapPromise(name, async (vm, node, context) => {
        const state = await readOvnState(context.stateDir)
        const on = state && hostOf(state, node)
        if (!on) return undefined
        context.log(`${node.hostname}: on host ${hostLabel(on)}`)
        if (onMachine(on)) await launchOnMachine(context.host, on, node, vm)
        else await hostIn(context.host, on).run(vm.argv[0], vm.argv.slice(1))
        return true
      })
      cluster.hooks.nodeStopped.tapPromise(name, async (node, context) => {
        const state = await readOvnState(context.stateDir)
        // Its placement stays: VMs stop in parallel (no record is written here), and one added again goes back there.
        const on = state && hostOf(state, node)
        const reachable = on ? await endOnHost(context, on, node) : true
        if (!state || !(await ovnAnswers(context.host, context.stateDir))) return
        // Its logical ports go with the switches at the cluster's stop.
        if (reachable) await removePorts(context.host, context.stateDir, state, node)
      })
      cluster.hooks.afterStop.tapPromise(name, teardown)
      // As on bridges, the host side of the netns is on net 0 with every guest.
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort) => ({
        host: ipv4Address(0, node.id),
        port: guestPort,
      }))
      // The tap of a VM on a host is in that host's namespace, out of this one's reach.
      cluster.hooks.hostLink.tapPromise(name, async (node, nic, context) => {
        const state = await readOvnState(context.stateDir)
        return state && hostOf(state, node) ? undefined : tapName(nic.net, node.id)
      })
      cluster.hooks.picture.tapPromise(name, async (picture, context) => {
        const state = await readOvnState(context.stateDir)
        const on = (id: number) => state && hostOf(state, { id })
        return {
          ...picture,
          nets: picture.nets.map((net) => ({
            ...net,
            medium: `OVN logical switch ${clusterName(context)}-net${net.net}`,
          })),
          // A running cluster's VMs in their hosts' boxes.
          nodes: picture.nodes.map((node) => {
            const host = on(node.id)
            return host ? { ...node, host: `${hostLabel(host)} ${host.ip}` } : node
          }),
        }
      })
      cluster.hooks.report.tapPromise(name, ovnReport)
    },
  }
}
