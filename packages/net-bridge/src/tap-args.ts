import { netdevId, nicDevice } from '@xcluster/core'
import type { Nic, Node } from '@xcluster/core'
import { tapName } from './names.js'

/** Attaches a NIC to its tap; the tool creates and removes the tap itself, so qemu runs no scripts. */
export function tapNetArgs(node: Node, nic: Nic): string[] {
  return [
    '-netdev',
    `tap,id=${netdevId(nic)},ifname=${tapName(nic.net, node.id)},script=no,downscript=no`,
    ...nicDevice(nic),
  ]
}
