import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import { hostname, ipv4Address, ipv6Address, macAddress } from './addressing.js'
import type { Nic, Node } from '../contract/node.js'
import { idsOf, roleOf } from './roles.js'

export type { Nic, Node }

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
