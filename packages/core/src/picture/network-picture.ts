import type { ClusterConfig } from '../contract/settings.js'
import { IPV4_NET_BITS, IPV6_NET_BITS, ipv4Address, ipv6Address } from '../node/addressing.js'
import type { Node } from '../node/node.js'
import type { NetworkPicture, PictureLink, PictureNet, PictureNode } from '../contract/picture.js'

export type { NetworkPicture, PictureLink, PictureNet, PictureNode }

const NET_NAMES: Record<number, string> = { 0: 'maintenance', 1: 'cluster', 2: 'external' }

/** The ranges of net N: 192.168.N.0/24 and its IPv6 twin. */
export function netRanges(config: Pick<ClusterConfig, 'ipv6Prefix'>, net: number): string[] {
  return [`${ipv4Address(net, 0)}/${IPV4_NET_BITS}`, `${ipv6Address(config.ipv6Prefix, net, 0)}/${IPV6_NET_BITS}`]
}

/** The picture before plugins: every node's NICs with the addresses of its number, every net they use. */
export function defaultPicture(
  config: Pick<ClusterConfig, 'ipv6Prefix'>,
  title: string,
  nodes: Node[],
  states?: Map<number, string>,
): NetworkPicture {
  const nets = [...new Set(nodes.flatMap((node) => node.nics.map((nic) => nic.net)))].sort((a, b) => a - b)
  return {
    title,
    nets: nets.map((net) => ({
      net,
      name: `net ${net}${NET_NAMES[net] ? ` (${NET_NAMES[net]})` : ''}`,
      ranges: netRanges(config, net),
    })),
    nodes: nodes.map((node) => ({
      id: node.id,
      hostname: node.hostname,
      role: node.role,
      state: states?.get(node.id),
      links: node.nics.map((nic) => ({
        net: nic.net,
        ifname: nic.ifname,
        addresses: [`${nic.ipv4}/${IPV4_NET_BITS}`, `${nic.ipv6}/${IPV6_NET_BITS}`],
      })),
    })),
  }
}
