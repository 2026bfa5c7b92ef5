import type { ClusterConfig } from '../config/types.js'
import { XclusterError } from '../errors.js'
import { hostname, ipv4Address, ipv6Address, macAddress } from './addressing.js'
import { type Role, idsOf, roleOf } from './roles.js'

/** One NIC of a node: guest `eth<index>` attached to `net`. */
export interface Nic {
  index: number
  ifname: string
  net: number
  mac: string
  ipv4: string
  ipv6: string
}

/** Everything about one VM that follows from the config alone. */
export interface Node {
  id: number
  role: Role
  hostname: string
  /** In NIC order: nics[k] is the guest's eth<k>. */
  nics: Nic[]
  mem: number
  smp: number
  /** Kernel arguments: the cluster's, then the node's own. */
  append: string[]
}

/** The ids a cluster of this config starts with: vms 1.., routers 201.., testers 221.. */
export function clusterIds(config: ClusterConfig): number[] {
  return [...idsOf('vm', config.nodes), ...idsOf('router', config.routers), ...idsOf('tester', config.testers)]
}

/** The node with this id, by its role's defaults and its own overrides. */
export function nodeOf(config: ClusterConfig, id: number): Node {
  const role = roleOf(id)
  if (!Number.isInteger(id) || !role) {
    throw new XclusterError(`node id ${id} is out of range: ids are 1-200 (vms), 201-220 (routers), 221-240 (testers)`)
  }
  const own = config.node[id] ?? {}
  const nets = own.nets ?? config.nets[role]
  return {
    id,
    role,
    hostname: hostname(id),
    nics: nets.map((net, index) => ({
      index,
      ifname: `eth${index}`,
      net,
      mac: macAddress(id, net),
      ipv4: ipv4Address(net, id),
      ipv6: ipv6Address(config.ipv6Prefix, net, id),
    })),
    mem: own.mem ?? config.mem,
    smp: own.smp ?? config.smp,
    append: [...config.append, ...(own.append ?? [])],
  }
}

export function clusterNodes(config: ClusterConfig): Node[] {
  return clusterIds(config).map((id) => nodeOf(config, id))
}
