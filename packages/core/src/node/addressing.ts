import { embedIpv4 } from './ipv6.js'

const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/** The address every net's host side (bridge, or the slirp host on net 0) has: 192.168.N.250. */
export const HOST_ID = 250

/** The NIC MAC of a node on a net; the guest derives its hostname from eth0's last byte. */
export function macAddress(id: number, net: number): string {
  return `00:00:00:01:${hex2(net)}:${hex2(id)}`
}

/** `vm-001`, `vm-201`: the hostname the guest takes from its MAC. */
export function hostname(id: number): string {
  return `vm-${String(id).padStart(3, '0')}`
}

/** The IPv4 address of node `id` on net `net`: 192.168.N.I. */
export function ipv4Address(net: number, id: number): string {
  return `192.168.${net}.${id}`
}

/** The IPv6 address of node `id` on net `net`: the cluster's /96 prefix with 192.168.N.I embedded. */
export function ipv6Address(prefix: string, net: number, id: number): string {
  return embedIpv4(prefix, ipv4Address(net, id))
}

/** Prefix lengths used on every net. */
export const IPV4_NET_BITS = 24
export const IPV6_NET_BITS = 120
