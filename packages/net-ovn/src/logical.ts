import type { Host, Nic, Node } from '@xcluster/core'
import { bridgeName, tapName } from '@xcluster/net-bridge'
import { addressesOf, hostAddresses, linkExists, moveAddresses, vsctl } from '@xcluster/net-ovs'
import { type OvnHost, type OvnState, northbound } from './ovn-state.js'
import { hostIn } from './in-host.js'

/** Runs ovn-nbctl against the cluster's northbound database. */
function nbctl(host: Host, stateDir: string, ...args: string[]): Promise<string> {
  return host.run('ovn-nbctl', [`--db=${northbound(stateDir)}`, '--timeout=10', ...args])
}

/** The tag of every northbound row of the cluster. */
const tag = (state: OvnState) => `external_ids:xcluster=${state.cluster}`
const switchName = (state: OvnState, net: number) => `${state.cluster}-net${net}`
const portName = (state: OvnState, net: number, id: number) => `${state.cluster}-vm${id}-net${net}`
const hostPortName = (state: OvnState, net: number) => `${state.cluster}-host-net${net}`
/** The host's port on net N: an internal port of br-int, `xcovnN`. */
export const hostLinkName = (net: number) => `xcovn${net}`

/**
 * Makes the logical switch of net N, and the host's port on it: an internal port of br-int holding
 * 192.168.N.250 and its IPv6 twin (moved from the Linux bridge xcbrN where nsadd put them).
 */
export async function ensureNet(
  host: Host,
  stateDir: string,
  state: OvnState,
  net: number,
  mtu: number,
  ipv6Prefix: string,
) {
  if (state.nets.includes(net)) return
  const ls = switchName(state, net)
  const lsp = hostPortName(state, net)
  await nbctl(host, stateDir, '--may-exist', 'ls-add', ls, '--', 'set', 'logical_switch', ls, tag(state))
  await nbctl(host, stateDir, '--may-exist', 'lsp-add', ls, lsp, '--', 'lsp-set-addresses', lsp, 'unknown')
  await nbctl(host, stateDir, 'set', 'logical_switch_port', lsp, tag(state))
  state.nets.push(net)
  const link = hostLinkName(net)
  await vsctl(
    host,
    { db: state.ovs },
    '--may-exist',
    'add-port',
    'br-int',
    link,
    '--',
    'set',
    'interface',
    link,
    'type=internal',
    `external_ids:iface-id=${lsp}`,
    `mtu_request=${mtu}`,
  )
  await host.run('ip', ['link', 'set', link, 'up'])
  // Through the user-space datapath, TCP stalls unless checksums are made before a packet leaves.
  await host.run('ethtool', ['-K', link, 'tx', 'off'])
  const { v4 } = hostAddresses(net, ipv6Prefix)
  if ((await addressesOf(host, bridgeName(net))).includes(` ${v4} `) && !state.tookAddresses.includes(net))
    state.tookAddresses.push(net)
  await moveAddresses(host, bridgeName(net), link, net, ipv6Prefix)
}

/**
 * A tap `xcbrN_tI` for every NIC of `nodes` on br-int, bound to its logical port: addresses `unknown` and no port
 * security, so that routers forward what is not their own. A leftover tap is replaced.
 */
export async function addPorts(host: Host, stateDir: string, state: OvnState, nodes: Node[], mtu: number) {
  for (const node of nodes) {
    for (const nic of node.nics) {
      const tap = tapName(nic.net, node.id)
      const lsp = portName(state, nic.net, node.id)
      const { there, ovs } = where(host, state, node)
      await removePort(host, stateDir, state, node, nic)
      await there.run('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap'])
      await there.run('ip', ['link', 'set', 'dev', tap, 'mtu', String(mtu), 'up'])
      await there.run('ethtool', ['-K', tap, 'tx', 'off'])
      await nbctl(host, stateDir, 'lsp-add', switchName(state, nic.net), lsp, '--', 'lsp-set-addresses', lsp, 'unknown')
      await nbctl(host, stateDir, 'set', 'logical_switch_port', lsp, tag(state))
      await vsctl(
        there,
        { db: ovs },
        'add-port',
        'br-int',
        tap,
        '--',
        'set',
        'interface',
        tap,
        `external_ids:iface-id=${lsp}`,
      )
    }
  }
  // Until the chassis has bound the ports, the first frames of a booting VM would be lost.
  // A busy machine's chassis can take a while: up to two minutes (ovn-nbctl's own --timeout counts).
  await host.run('ovn-nbctl', [`--db=${northbound(stateDir)}`, '--timeout=120', '--wait=hv', 'sync'])
}

async function removePort(host: Host, stateDir: string, state: OvnState, node: Node, nic: Nic) {
  const tap = tapName(nic.net, node.id)
  const { there, ovs } = where(host, state, node)
  await nbctl(host, stateDir, '--if-exists', 'lsp-del', portName(state, nic.net, node.id))
  // A host whose Open vSwitch is gone keeps no port; the tap goes all the same.
  await vsctl(there, { db: ovs }, '--if-exists', 'del-port', 'br-int', tap).catch(() => undefined)
  if (await linkExists(there, tap)) await there.run('ip', ['link', 'del', tap])
}

/** The host a node runs on, if it is placed on one. */
export function hostOf(state: OvnState, node: Pick<Node, 'id'>): OvnHost | undefined {
  return state.hosts.find((on) => on.name === state.placement[node.id])
}

/** Where a node's taps are: the namespace to run programs in, and the Open vSwitch that holds its ports. */
function where(host: Host, state: OvnState, node: Node) {
  const on = hostOf(state, node)
  return on ? { there: hostIn(host, on), ovs: on.ovs } : { there: host, ovs: state.ovs }
}

/** Removes the logical ports, ports and taps of one node. */
export async function removePorts(host: Host, stateDir: string, state: OvnState, node: Node) {
  for (const nic of node.nics) await removePort(host, stateDir, state, node, nic)
}

/** Every northbound row of the cluster, by its tag: what `status` reads and `stop` removes. */
export async function clusterRows(host: Host, stateDir: string, state: OvnState) {
  const names = async (table: string) =>
    (await nbctl(host, stateDir, '--bare', '--columns=name', 'find', table, tag(state))).split('\n').filter(Boolean)
  return { switches: await names('logical_switch'), ports: await names('logical_switch_port') }
}

/**
 * Removes the cluster's logical switches (their ports go with them), the host's ports (a user-space datapath leaves
 * their devices behind), and gives xcbrN their addresses back.
 */
export async function removeNets(host: Host, stateDir: string, state: OvnState, ipv6Prefix: string) {
  for (const ls of (await clusterRows(host, stateDir, state)).switches)
    await nbctl(host, stateDir, '--if-exists', 'ls-del', ls)
  for (const net of state.tookAddresses) {
    if (await linkExists(host, bridgeName(net)))
      await moveAddresses(host, hostLinkName(net), bridgeName(net), net, ipv6Prefix)
  }
  for (const net of state.nets) {
    await vsctl(host, { db: state.ovs }, '--if-exists', 'del-port', 'br-int', hostLinkName(net))
    if (await linkExists(host, hostLinkName(net))) await host.run('ip', ['link', 'del', hostLinkName(net)])
  }
}
