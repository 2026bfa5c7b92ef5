import { type ClusterConfig, HOST_ID, type Node, embedIpv4, nodeOf } from '@xcluster/core'
import { templateAddress } from './address-template.js'
import { type NodeGroup, type NodeSpec, type RoleSpec, type TopologySpec, type Via, inGroup } from './spec.js'

/** What one node sets up, with every address written out: the in-VM script applies exactly this. */
export interface NodePlan {
  id: number
  hostname: string
  interfaces: { ifname: string; net: number; addresses: string[] }[]
  bridge?: { name: string; mac: string; members: string[]; addresses: string[] }
  routes: { to: string; via: string[]; table?: number }[]
  rules: { ifname: string; table: number }[]
  forward: boolean
  nat: string[]
}

export interface PlanOptions {
  /** The multilan-router address template, e.g. 169.254.0.0/20/24. */
  addressTemplate?: string
}

/** The spec of one node: the last group it is in, else its role's. */
export function specOf(topology: TopologySpec, node: Pick<Node, 'id' | 'role'>): RoleSpec | NodeGroup {
  const group = [...(topology.groups ?? [])].reverse().find((g) => inGroup(g, node.id))
  return group?.setup ? group : topology.roles[node.role]
}

export function setupOf(topology: TopologySpec, node: Pick<Node, 'id' | 'role'>): NodeSpec {
  return specOf(topology, node).setup ?? topology.roles[node.role].setup
}

const v4 = (net: number, id: number) => `192.168.${net}.${id}`
const hex2 = (n: number) => n.toString(16).padStart(2, '0')

function viaAddresses(via: Via | Via[], routers: number[]): { net: number; id: number }[] {
  return [via].flat().flatMap((hop) => {
    if ('host' in hop) return [{ net: 0, id: HOST_ID }]
    if ('routers' in hop) return routers.map((id) => ({ net: hop.routers, id }))
    return [{ net: hop.net, id: hop.node }]
  })
}

/** The plan of node `id` in a cluster of `ids` under `topology`. */
export function planNode(
  topology: TopologySpec,
  config: ClusterConfig,
  ids: number[],
  id: number,
  options: PlanOptions = {},
): NodePlan {
  const node = nodeOf(config, id)
  const setup = setupOf(topology, node)
  const prefix = config.ipv6Prefix
  const routers = ids.filter((n) => n >= 201 && n <= 220)
  const both = (address: string, v4Length: number) => [
    `${address}/${v4Length}`,
    `${embedIpv4(prefix, address)}/${96 + v4Length}`,
  ]
  const ifnameOn = (net: number) => node.nics.find((nic) => nic.net === net)?.ifname
  const bridged = setup.bridge?.members ?? []
  const interfaces = node.nics
    .filter((nic) => nic.net !== 0 && !bridged.includes(nic.net) && !setup.unaddressed?.includes(nic.net))
    .filter((nic) => !setup.templateNets?.includes(nic.net) || options.addressTemplate)
    .map((nic) => {
      if (setup.templateNets?.includes(nic.net)) {
        const { address, length } = templateAddress(options.addressTemplate!, nic.net, id)
        return { ifname: nic.ifname, net: nic.net, addresses: both(address, length) }
      }
      return { ifname: nic.ifname, net: nic.net, addresses: both(v4(setup.addressAs?.[nic.net] ?? nic.net, id), 24) }
    })
  const bridge = setup.bridge && {
    name: setup.bridge.name,
    mac: `00:00:01:01:${hex2(setup.bridge.net)}:${hex2(id)}`,
    members: setup.bridge.members.map(ifnameOn).filter((n): n is string => !!n),
    addresses: both(v4(setup.bridge.net, id), 24),
  }
  const routes = (setup.routes ?? []).flatMap((route) => {
    const hops = viaAddresses(route.via, routers)
    if (hops.length === 0) return []
    const to = (family: 4 | 6) =>
      route.to === 'default'
        ? 'default'
        : family === 4
          ? `${v4(route.to, 0)}/24`
          : `${embedIpv4(prefix, v4(route.to, 0))}/120`
    return [
      { to: to(4), via: hops.map((h) => v4(h.net, h.id)), table: route.table },
      { to: to(6), via: hops.map((h) => embedIpv4(prefix, v4(h.net, h.id))), table: route.table },
    ]
  })
  return {
    id,
    hostname: node.hostname,
    interfaces,
    bridge,
    routes,
    rules: (setup.rules ?? []).flatMap((rule) => {
      const ifname = ifnameOn(rule.net)
      return ifname ? [{ ifname, table: rule.table }] : []
    }),
    forward: setup.forward ?? false,
    nat: (setup.nat ?? []).flatMap((net) => [`${v4(net, 0)}/24`, `${embedIpv4(prefix, v4(net, 0))}/120`]),
  }
}
