import { type ClusterContext, type Plugin, ipv4Address } from '@xcluster/core'
import { requireClusterNetns, tapName, tapNetArgs, targetNets } from '@xcluster/net-bridge'
import { ensureOvsBridge, ovsBridgeName, removeOvsBridges } from './bridges.js'
import { chooseDatapath, clusterOvsAnswers, startOwnOvs, stopOwnOvs, systemOvsHere } from './daemons.js'
import { type CheckedOptions, type OvsOptions, checkOptions } from './options.js'
import { addPorts, removePorts } from './ports.js'
import { type OvsState, readOvsState, removeOvsState, writeOvsState } from './ovs-state.js'

const name = '@xcluster/net-ovs'

/**
 * The cluster's OVS: the recorded one, else one that runs here already, else daemons of its own.
 * Daemons of its own that died are started again on a fresh database (their bridges died with them).
 */
async function clusterOvs(context: ClusterContext, options: CheckedOptions): Promise<OvsState> {
  const recorded = await readOvsState(context.stateDir)
  if (recorded && (await clusterOvsAnswers(context.host, recorded))) return recorded
  if (recorded?.db) {
    context.log(`the cluster's Open vSwitch daemons in ${context.stateDir}/ovs are gone: starting them again`)
    await stopOwnOvs(context.host, context.stateDir)
    return { ...recorded, db: await startOwnOvs(context.host, context.stateDir), bridges: [] }
  }
  const datapath = await chooseDatapath(context.host, options.datapath)
  if (await systemOvsHere(context.host)) return { datapath, bridges: [], tookAddresses: [] }
  context.log(`starting Open vSwitch daemons of the cluster's own in ${context.stateDir}/ovs`)
  return { db: await startOwnOvs(context.host, context.stateDir), datapath, bridges: [], tookAddresses: [] }
}

async function teardown(context: ClusterContext): Promise<void> {
  const state = await readOvsState(context.stateDir)
  if (!state) return
  // Bridges of daemons that died are gone with them; their addresses still go back to the Linux bridges.
  const alive = await clusterOvsAnswers(context.host, state)
  await removeOvsBridges(context.host, alive ? state : { ...state, bridges: [] }, context.config.ipv6Prefix)
  if (state.db) await stopOwnOvs(context.host, context.stateDir)
  await removeOvsState(context.stateDir)
}

/**
 * Open vSwitch: every net N is the OVS bridge `xcovsN`, every NIC a tap `xcbrN_tI` as its port.
 * Runs in the cluster's netns (`xcluster nsadd`), like the bridge backend; the options are
 * checked here, before anything is made.
 */
export default function ovs(options: OvsOptions = {}): Plugin {
  const checked = checkOptions(options)
  return {
    name,
    coreRange: '^0.1.0',
    // A backend answers for every net: plugins that attach some nets themselves tap before it.
    enforce: 'post',
    provides: ['net-backend'],
    apply(cluster) {
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        requireClusterNetns(context, 'OVS')
        const state = await clusterOvs(context, checked)
        try {
          const { mtu, ipv6Prefix } = context.config
          for (const net of targetNets(context))
            await ensureOvsBridge(context.host, state, net, {
              mtu,
              ipv6Prefix,
              settings: checked.bridgeSettings.get(net) ?? [],
            })
          await addPorts(context.host, state, context.targets, mtu, checked.vlans)
        } finally {
          // Recorded whatever happened: a failed start's afterStop takes back what was made.
          await writeOvsState(context.stateDir, state)
        }
      })
      cluster.hooks.netSetup.tapPromise(name, async ({ node, nic, context }) => {
        const [netdev, tap, ...device] = tapNetArgs(node, nic)
        // The user-space datapath forwards what qemu writes as it is: without a vnet header qemu
        // offers the guest no checksum offload, so every packet leaves the VM with its checksums.
        const kernel = (await readOvsState(context.stateDir))?.datapath === 'system'
        return [netdev, kernel ? tap : `${tap},vnet_hdr=off`, ...device]
      })
      cluster.hooks.nodeStopped.tapPromise(name, async (node, context) => {
        const state = await readOvsState(context.stateDir)
        if (!state) return
        const alive = await clusterOvsAnswers(context.host, state)
        await removePorts(context.host, alive ? state : undefined, node)
      })
      cluster.hooks.afterStop.tapPromise(name, teardown)
      // As on Linux bridges, the host side of the netns is on net 0 with every guest.
      cluster.hooks.hostEndpoint.tapPromise(name, async (node, guestPort) => ({
        host: ipv4Address(0, node.id),
        port: guestPort,
      }))
      cluster.hooks.hostLink.tapPromise(name, async (node, nic) => tapName(nic.net, node.id))
      cluster.hooks.picture.tapPromise(name, async (picture, context) => ({
        ...picture,
        nets: picture.nets.map((net) => ({
          ...net,
          medium: `OVS bridge ${ovsBridgeName(net.net)} in netns ${context.netns ?? 'main'}`,
        })),
      }))
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const state = await readOvsState(context.stateDir)
        if (!state) return lines
        const daemons = state.db ? 'daemons of its own' : 'the Open vSwitch running here'
        const datapath =
          state.datapath === 'netdev' ? 'netdev (user space: no openvswitch kernel module)' : 'system (kernel)'
        const text = `ovs: ${daemons}, datapath ${datapath}, bridges ${state.bridges.map(ovsBridgeName).join(' ')}`
        const dead = !(await clusterOvsAnswers(context.host, state))
        return [
          ...lines,
          dead
            ? {
                text: `${text} (not running)`,
                problem:
                  "the cluster's Open vSwitch daemons are gone, and with them its bridges: `xcluster start` starts" +
                  ' the cluster again with new ones, `xcluster stop` cleans up',
              }
            : { text },
        ]
      })
    },
  }
}
