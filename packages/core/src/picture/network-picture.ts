import type { ClusterConfig } from '../config/types.js'
import { IPV4_NET_BITS, IPV6_NET_BITS, ipv4Address, ipv6Address } from '../node/addressing.js'
import type { Node } from '../node/node.js'
import type { Role } from '../node/roles.js'

/** One net of a picture: its number, ranges and what carries it (a bridge, a multicast socket). */
export interface PictureNet {
  net: number
  /** `net 1 (cluster)`. */
  name: string
  /** `192.168.1.0/24`, `1000::1:192.168.1.0/120`. */
  ranges: string[]
  /** What carries it on the host, as the network backend says: `bridge xcbr1`, `socket 224.0.0.121:27031`. */
  medium?: string
}

/** One NIC of a node on a net, with the addresses the guest gives it. */
export interface PictureLink {
  net: number
  ifname: string
  addresses: string[]
}

export interface PictureNode {
  id: number
  hostname: string
  role: Role
  /** `running`, `paused`, `dead`: shown when the picture is of a running cluster. */
  state?: string
  links: PictureLink[]
}

/** What a drawing of the cluster's network shows; plugins change it through the `picture` hook. */
export interface NetworkPicture {
  title: string
  nets: PictureNet[]
  nodes: PictureNode[]
}

const NET_NAMES: Record<number, string> = { 0: 'maintenance', 1: 'cluster', 2: 'external' }

/** The ranges of net N: 192.168.N.0/24 and its IPv6 twin. */
export function netRanges(config: Pick<ClusterConfig, 'ipv6Prefix'>, net: number): string[] {
  return [`${ipv4Address(net, 0)}/${IPV4_NET_BITS}`, `${ipv6Address(config.ipv6Prefix, net, 0)}/${IPV6_NET_BITS}`]
}

/** The picture before plugins: every node's NICs with the addresses of its number, every net they use. */
export function defaultPicture(config: Pick<ClusterConfig, 'ipv6Prefix'>, title: string, nodes: Node[], states?: Map<number, string>): NetworkPicture {
  const nets = [...new Set(nodes.flatMap((node) => node.nics.map((nic) => nic.net)))].sort((a, b) => a - b)
  return {
    title,
    nets: nets.map((net) => ({ net, name: `net ${net}${NET_NAMES[net] ? ` (${NET_NAMES[net]})` : ''}`, ranges: netRanges(config, net) })),
    nodes: nodes.map((node) => ({
      id: node.id,
      hostname: node.hostname,
      role: node.role,
      state: states?.get(node.id),
      links: node.nics.map((nic) => ({ net: nic.net, ifname: nic.ifname, addresses: [`${nic.ipv4}/${IPV4_NET_BITS}`, `${nic.ipv6}/${IPV6_NET_BITS}`] })),
    })),
  }
}
