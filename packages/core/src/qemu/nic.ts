import type { Nic } from '../node/node.js'

/** The netdev id of a net: `net<N>`. */
export function netdevId(nic: Nic): string {
  return `net${nic.net}`
}

/** The guest side of a NIC: a virtio NIC with the node's MAC on that net, bound to netdev `net<N>`. */
export function nicDevice(nic: Nic): string[] {
  return ['-device', `virtio-net-pci,netdev=${netdevId(nic)},mac=${nic.mac}`]
}
