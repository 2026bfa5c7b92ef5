import { type ClusterContext, type Plugin, XclusterError, hostname, ipv4Address, roleOf } from '@xcluster/core'
import { requireClusterNetns, tapName, tapNetArgs, targetNets } from '@xcluster/net-bridge'
import { clusterOvsAnswers, startOwnOvs, stopOwnOvs } from '@xcluster/net-ovs'
import { ovnAnswers, startOvn, stopOvn } from './daemons.js'
import { addPorts, clusterRows, ensureNet, hostOf, removeNets, removePorts } from './logical.js'
import { checkHostsReachable, hostLabel, removeUnderlay, hostProblem, spanHosts, startHost, stopHost } from './hosts.js'
import { geneveMtu, mtuProblem, underlayMtuOf } from './geneve-mtu.js'
import { place } from './placement.js'
import { type OvnState, clusterName, readOvnState, removeOvnState, writeOvnState } from './ovn-state.js'

const name = '@xcluster/net-ovn'

/** The cluster's OVN: the recorded one while its daemons answer, else daemons of its own, started afresh. */
async function clusterOvn(context: ClusterContext, underlayMtu: number): Promise<OvnState> {
  const recorded = await readOvnState(context.stateDir)
  if (
    recorded &&
    (await clusterOvsAnswers(context.host, { db: recorded.ovs })) &&
    (await ovnAnswers(context.host, context.stateDir))
  )
    return recorded
  if (recorded) context.log(`the cluster's OVN daemons in ${context.stateDir} are gone: starting them again`)
  // A host that cannot be reached is named before anything is made.
  await checkHostsReachable(context.config.hosts ?? [])
  await teardown(context)
  context.log(`starting Open vSwitch and OVN daemons of the cluster's own in ${context.stateDir}`)
  const cluster = clusterName(context)
  const ovs = await startOwnOvs(context.host, context.stateDir)
  const state: OvnState = { cluster, ovs, nets: [], tookAddresses: [], underlayMtu, hosts: [], placement: {} }
  try {
    await startOvn(context.host, context.stateDir, ovs, cluster)
    const hosts = context.config.hosts ?? []
    if (hosts.length > 0) {
      context.log(`making hosts ${hosts.map(hostLabel).join(', ')} chassis of the cluster's OVN over Geneve`)
      await spanHosts(context.host, context.stateDir, ovs, underlayMtu)
      for (const [k, entry] of hosts.entries()) {
        state.hosts.push(await startHost(context.host, context.stateDir, entry, k + 1, cluster, underlayMtu))
        // Recorded as each is made: a failure part-way still finds them at stop.
        await writeOvnState(context.stateDir, state)
      }
    }
  } catch (error) {
    await writeOvnState(context.stateDir, state)
    await teardown(context)
    throw error
  }
  return state
}

/** Refuses to place VMs on a host whose daemons are gone, naming it and them. */
async function requireHostsAnswer(context: ClusterContext, state: OvnState): Promise<void> {
  const problems = []
  for (const on of state.hosts) {
    const problem = await hostProblem(context.host, context.stateDir, on)
    if (problem) problems.push(`host ${hostLabel(on)}: ${problem}`)
  }
  if (problems.length > 0)
    throw new XclusterError(`${problems.join('; ')}: \`xcluster stop\` cleans up, then \`xcluster start\` again`)
}

/**
 * Removes every northbound row of the cluster, its ports and taps, its daemons and its record. Every step is tried
 * whatever the ones before did: a stop cleans what it can, then names what failed (the record stays for another try).
 */
async function teardown(context: ClusterContext): Promise<void> {
  const { host, stateDir } = context
  const state = await readOvnState(stateDir)
  const failed: string[] = []
  const attempt = (step: () => Promise<unknown>) =>
    step().catch((error) => failed.push(error instanceof Error ? error.message : String(error)))
  if (state && (await ovnAnswers(host, stateDir)))
    await attempt(() => removeNets(host, stateDir, state, context.config.ipv6Prefix))
  for (const on of state?.hosts ?? []) {
    const problem = await hostProblem(host, stateDir, on)
    if (problem) context.log(`stop: host ${hostLabel(on)} could not be reached (${problem}): ending what is left of it`)
    await attempt(() => stopHost(host, stateDir, on))
  }
  await attempt(() => removeUnderlay(host, state?.ovs))
  await attempt(() => stopOvn(host, stateDir))
  if (state) await attempt(() => stopOwnOvs(host, stateDir))
  if (failed.length > 0) throw new XclusterError(`OVN: the cluster's stop left work undone:\n  ${failed.join('\n  ')}`)
  await removeOvnState(stateDir)
}

export interface OvnOptions {
  /**
   * The MTU of the underlay between the hosts (9000: the one xcluster makes for simulated and netns hosts). The VMs'
   * MTU defaults to what fits through Geneve on it (1442 on 1500), and an `mtu` that does not fit is refused.
   */
  underlayMtu?: number
}

/**
 * OVN: every net N is a logical switch, every NIC a tap on the integration bridge bound to a logical
 * port (addresses unknown, no port security: routers forward foreign addresses), every northbound row
 * tagged with the cluster's name. The central (NB, SB, northd) and the chassis (ovn-controller on an
 * Open vSwitch of the cluster's own, user-space datapath) run in the cluster's netns (`xcluster nsadd`).
 */
export default function ovn(options: OvnOptions = {}): Plugin {
  const underlayMtu = underlayMtuOf(options.underlayMtu)
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend', 'hosts'],
    // The VMs' MTU leaves Geneve its bytes on the underlay.
    configure: (user) => geneveMtu(user, underlayMtu),
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        requireClusterNetns(context, 'OVN')
        const state = await clusterOvn(context, underlayMtu)
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
      cluster.hooks.launch.tapPromise(name, async (argv, node, context) => {
        const state = await readOvnState(context.stateDir)
        const on = state && hostOf(state, node)
        if (!on) return undefined
        context.log(`${node.hostname}: on host ${hostLabel(on)}`)
        await context.host.run('nsenter', [`--net=${on.netns}`, ...argv])
        return true
      })
      cluster.hooks.nodeStopped.tapPromise(name, async (node, context) => {
        const state = await readOvnState(context.stateDir)
        // Its placement stays: VMs stop in parallel (no record is written here), and one added again goes back there.
        if (!state || !(await ovnAnswers(context.host, context.stateDir))) return
        const on = hostOf(state, node)
        const problem = on && (await hostProblem(context.host, context.stateDir, on))
        // Its logical ports go with the switches at the cluster's stop.
        if (problem)
          context.log(`${node.hostname}: host ${hostLabel(on)} cannot be reached (${problem}): its taps stay`)
        else await removePorts(context.host, context.stateDir, state, node)
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
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const state = await readOvnState(context.stateDir)
        if (!state) return lines
        if (!(await ovnAnswers(context.host, context.stateDir)))
          return [
            ...lines,
            {
              text: 'ovn: not running',
              problem:
                "the cluster's OVN daemons are gone: `xcluster start` starts them again, `xcluster stop` cleans up",
            },
          ]
        const { switches, ports } = await clusterRows(context.host, context.stateDir, state)
        const logical = `logical switches ${switches.sort().join(' ')}; ${ports.length} logical ports (northbound)`
        const placed = state.hosts.map((on) => {
          // A VM scaled in keeps its place for when it comes back, but is not shown.
          const vms = Object.entries(state.placement).filter(
            ([id, host]) => host === on.name && context.nodes.some((node) => node.id === Number(id)),
          )
          return `${on.name} (${on.ip}): ${vms.map(([id]) => hostname(Number(id))).join(' ') || 'no VM'}`
        })
        const hosts = placed.length > 0 ? [{ text: `ovn hosts: ${placed.join('; ')}` }] : []
        const silent = []
        for (const on of state.hosts) {
          const problem = await hostProblem(context.host, context.stateDir, on)
          if (problem)
            silent.push({
              text: `ovn host ${hostLabel(on)}: ${problem}`,
              problem: `its VMs are cut off: \`xcluster stop\` cleans up, then \`xcluster start\` again`,
            })
        }
        return [...lines, { text: `ovn: ${state.cluster}: ${logical}` }, ...hosts, ...silent]
      })
    },
  }
}
