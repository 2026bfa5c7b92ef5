import { HOST_ID, ipv4Address, ipv6Address, netdevId, nicDevice } from '@xcluster/core'
import type { ClusterConfig, Endpoint, Nic, Node } from '@xcluster/core'

/** Host forwards of node 1 for a Kubernetes API: 127.0.0.1:k8s -> 8080 and 127.0.0.1:k8sTls -> 6443. */
function k8sForwards(config: ClusterConfig, guest: string): string[] {
  return [
    `hostfwd=tcp:127.0.0.1:${config.ports.k8s}-${guest}:8080`,
    `hostfwd=tcp:127.0.0.1:${config.ports.k8sTls}-${guest}:6443`,
  ]
}

/**
 * Net 0 as a qemu user (slirp) net: the host is 192.168.0.250 (and the prefix's .250), and the
 * guest's ssh (and telnet when the config asks for it) are forwarded from 127.0.0.1 only.
 */
export function userNetArgs(node: Node, nic: Nic, config: ClusterConfig): string[] {
  const guest = ipv4Address(0, node.id)
  const options = [
    `user,id=${netdevId(nic)}`,
    `net=${ipv4Address(0, 0)}/24`,
    `host=${ipv4Address(0, HOST_ID)}`,
    `ipv6-net=${ipv6Address(config.ipv6Prefix, 0, 0)}/120`,
    `ipv6-host=${ipv6Address(config.ipv6Prefix, 0, HOST_ID)}`,
    ...(config.telnet ? [`hostfwd=tcp:127.0.0.1:${config.ports.telnet + node.id}-${guest}:23`] : []),
    `hostfwd=tcp:127.0.0.1:${config.ports.ssh + node.id}-${guest}:22`,
    ...(node.id === 1 ? k8sForwards(config, guest) : []),
  ]
  return ['-netdev', options.join(','), ...nicDevice(nic)]
}

/** The multicast group of net N: 224.0.0.(mcastBase + N), 224.0.0.121 for net 1 by default. */
export function multicastGroup(net: number, config: ClusterConfig): string {
  return `224.0.0.${config.ports.mcastBase + net}:${config.ports.mcastPort}`
}

/** Net N > 0 as a qemu socket net: every VM on the same loopback multicast group shares one L2 segment. */
export function socketNetArgs(nic: Nic, config: ClusterConfig): string[] {
  return [
    '-netdev',
    `socket,id=${netdevId(nic)},mcast=${multicastGroup(nic.net, config)},localaddr=127.0.0.1`,
    ...nicDevice(nic),
  ]
}

/** The host side of the forwards: 127.0.0.1:(ssh + I) for port 22, 127.0.0.1:(telnet + I) for 23. */
export function forwardedEndpoint(node: Node, guestPort: number, config: ClusterConfig): Endpoint | undefined {
  const base = { 22: config.ports.ssh, 23: config.telnet ? config.ports.telnet : undefined }[guestPort]
  return base === undefined ? undefined : { host: '127.0.0.1', port: base + node.id }
}
