import type { Node } from '@xcluster/core'
import type { HostEntry } from './hosts-setting.js'

/** Where VMs run: host name by node id. */
export type Placement = Record<number, string>

/**
 * Places each node of `nodes` that has no host yet: on the host whose `nodes` list names it, else on the host with the
 * fewest VMs of its role (routers apart from one another, nodes apart from one another), then the fewest VMs, then
 * the first listed. A placed VM keeps its host (a VM started again goes back there).
 */
export function place(
  hosts: readonly Pick<HostEntry, 'name' | 'nodes'>[],
  placement: Placement,
  nodes: readonly Pick<Node, 'id' | 'role'>[],
  roleOf: (id: number) => string | undefined,
): Placement {
  const placed: Placement = { ...placement }
  if (hosts.length === 0) return placed
  const count = (host: string, role?: string) =>
    Object.entries(placed).filter(([id, on]) => on === host && (role === undefined || roleOf(Number(id)) === role))
      .length
  const listedOn = (id: number) => hosts.find((host) => host.nodes?.includes(id))
  // The listed first: the spreading of the others counts them.
  for (const node of nodes) {
    const host = listedOn(node.id)
    if (host && !placed[node.id]) placed[node.id] = host.name
  }
  for (const node of nodes) {
    if (placed[node.id]) continue
    placed[node.id] = hosts.reduce((best, host) => {
      const [a, b] = [count(host.name, node.role), count(best.name, node.role)]
      return a < b || (a === b && count(host.name) < count(best.name)) ? host : best
    }).name
  }
  return placed
}
