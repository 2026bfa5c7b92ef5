import { type ClusterContext, type Node, type Plugin, hostname, ipv4Address } from '@xcluster/core'
import { requireClusterNetns, tapName, tapNetArgs, targetNets } from '@xcluster/net-bridge'
import { clusterOvsAnswers, startOwnOvs, stopOwnOvs } from '@xcluster/net-ovs'
import { ovnAnswers, startOvn, stopOvn } from './daemons.js'
import { addPorts, clusterRows, ensureNet, removeNets, removePorts, simHostOf } from './logical.js'
import { removeUnderlay, spanHosts, startSimHost, stopSimHost } from './sim-hosts.js'
import { type OvnState, clusterName, readOvnState, removeOvnState, writeOvnState } from './ovn-state.js'

const name = '@xcluster/net-ovn'

/** The cluster's OVN: the recorded one while its daemons answer, else daemons of its own, started afresh. */
async function clusterOvn(context: ClusterContext): Promise<OvnState> {
  const recorded = await readOvnState(context.stateDir)
  if (
    recorded &&
    (await clusterOvsAnswers(context.host, { db: recorded.ovs })) &&
    (await ovnAnswers(context.host, context.stateDir))
  )
    return recorded
  if (recorded) context.log(`the cluster's OVN daemons in ${context.stateDir} are gone: starting them again`)
  await teardown(context)
  context.log(`starting Open vSwitch and OVN daemons of the cluster's own in ${context.stateDir}`)
  const cluster = clusterName(context)
  const ovs = await startOwnOvs(context.host, context.stateDir)
  const state: OvnState = { cluster, ovs, nets: [], tookAddresses: [], hosts: [], placement: {} }
  try {
    await startOvn(context.host, context.stateDir, ovs, cluster)
    const simulated = Number(/^sim:(\d)$/.exec(context.config.hosts ?? '')?.[1] ?? 0)
    if (simulated > 0) {
      context.log(`making ${simulated} simulated hosts, each a chassis of the cluster's OVN over Geneve`)
      await spanHosts(context.host, context.stateDir, ovs)
      for (let k = 1; k <= simulated; k++) {
        state.hosts.push(await startSimHost(context.host, context.stateDir, `h${k}`, k, cluster))
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

/** Places each VM of this run that has no host yet on the simulated host with the fewest VMs (the first of a tie). */
function place(state: OvnState, nodes: Node[]): void {
  for (const node of nodes) {
    if (state.hosts.length === 0 || state.placement[node.id]) continue
    const load = (name: string) => Object.values(state.placement).filter((host) => host === name).length
    state.placement[node.id] = state.hosts.reduce((best, sim) => (load(sim.name) < load(best.name) ? sim : best)).name
  }
}

/** Removes every northbound row of the cluster, its ports and taps, its daemons and its record. */
async function teardown(context: ClusterContext): Promise<void> {
  const state = await readOvnState(context.stateDir)
  if (state && (await ovnAnswers(context.host, context.stateDir)))
    await removeNets(context.host, context.stateDir, state, context.config.ipv6Prefix)
  for (const sim of state?.hosts ?? []) await stopSimHost(context.host, context.stateDir, sim.name)
  await removeUnderlay(context.host, state?.ovs)
  await stopOvn(context.host, context.stateDir)
  if (state) await stopOwnOvs(context.host, context.stateDir)
  await removeOvnState(context.stateDir)
}

/**
 * OVN: every net N is a logical switch, every NIC a tap on the integration bridge bound to a logical
 * port (addresses unknown, no port security: routers forward foreign addresses), every northbound row
 * tagged with the cluster's name. The central (NB, SB, northd) and the chassis (ovn-controller on an
 * Open vSwitch of the cluster's own, user-space datapath) run in the cluster's netns (`xcluster nsadd`).
 */
export default function ovn(): Plugin {
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend'],
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        requireClusterNetns(context, 'OVN')
        const state = await clusterOvn(context)
        try {
          const { mtu, ipv6Prefix } = context.config
          place(state, context.targets)
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
      // A VM placed on a simulated host runs in that host's network namespace.
      cluster.hooks.launch.tapPromise(name, async (argv, node, context) => {
        const state = await readOvnState(context.stateDir)
        const sim = state && simHostOf(state, node)
        if (!sim) return undefined
        context.log(`${node.hostname}: on simulated host ${sim.name}`)
        await context.host.run('nsenter', [`--net=/proc/${sim.anchor}/ns/net`, ...argv])
        return true
      })
      cluster.hooks.nodeStopped.tapPromise(name, async (node, context) => {
        const state = await readOvnState(context.stateDir)
        // Its placement stays: VMs stop in parallel (no record is written here), and one added again goes back there.
        if (state && (await ovnAnswers(context.host, context.stateDir)))
          await removePorts(context.host, context.stateDir, state, node)
      })
      cluster.hooks.afterStop.tapPromise(name, teardown)
      // As on bridges, the host side of the netns is on net 0 with every guest.
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort) => ({
        host: ipv4Address(0, node.id),
        port: guestPort,
      }))
      // The tap of a VM on a simulated host is in that host's namespace, out of this one's reach.
      cluster.hooks.hostLink.tapPromise(name, async (node, nic, context) => {
        const state = await readOvnState(context.stateDir)
        return state && simHostOf(state, node) ? undefined : tapName(nic.net, node.id)
      })
      cluster.hooks.picture.tapPromise(name, async (picture, context) => ({
        ...picture,
        nets: picture.nets.map((net) => ({
          ...net,
          medium: `OVN logical switch ${clusterName(context)}-net${net.net}`,
        })),
      }))
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
        const placed = state.hosts.map((sim) => {
          const vms = Object.entries(state.placement).filter(([, host]) => host === sim.name)
          return `${sim.name} (${sim.ip}): ${vms.map(([id]) => hostname(Number(id))).join(' ') || 'no VM'}`
        })
        const hosts = placed.length > 0 ? [{ text: `ovn hosts: ${placed.join('; ')}` }] : []
        return [...lines, { text: `ovn: ${state.cluster}: ${logical}` }, ...hosts]
      })
    },
  }
}
