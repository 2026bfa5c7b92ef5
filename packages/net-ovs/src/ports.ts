import type { Host, Node } from '@xcluster/core'
import { tapName } from '@xcluster/net-bridge'
import { ovsBridgeName } from './bridges.js'
import { linkExists } from './links.js'
import { type OvsState, vsctl } from './ovs-state.js'

/**
 * A tap `xcbrN_tI` for every NIC of `nodes`, a port of `xcovsN` (tagged when the net has a VLAN); a leftover tap is
 * replaced.
 */
export async function addPorts(
  host: Host,
  state: OvsState,
  nodes: Node[],
  mtu: number,
  vlans: Map<number, number>,
): Promise<void> {
  for (const node of nodes) {
    for (const nic of node.nics) {
      const tap = tapName(nic.net, node.id)
      if (await linkExists(host, tap)) await removePort(host, state, nic.net, tap)
      await host.run('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap'])
      await host.run('ip', ['link', 'set', 'dev', tap, 'mtu', String(mtu), 'up'])
      const tag = vlans.get(nic.net)
      await vsctl(host, state, 'add-port', ovsBridgeName(nic.net), tap, ...(tag === undefined ? [] : [`tag=${tag}`]))
      if (state.datapath === 'netdev') await host.run('ethtool', ['-K', tap, 'tx', 'off'])
    }
  }
}

async function removePort(host: Host, state: OvsState | undefined, net: number, tap: string): Promise<void> {
  if (state) await vsctl(host, state, '--if-exists', 'del-port', ovsBridgeName(net), tap)
  if (await linkExists(host, tap)) await host.run('ip', ['link', 'del', tap])
}

/** Removes the ports and taps of one node; with no OVS that answers (`state` undefined), the taps only. */
export async function removePorts(host: Host, state: OvsState | undefined, node: Node): Promise<void> {
  for (const nic of node.nics) await removePort(host, state, nic.net, tapName(nic.net, node.id))
}
