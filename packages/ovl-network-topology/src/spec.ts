import type { Role } from '@xcluster/core'

/** A next hop: the host side of net 0, one node on a net, or every router of the cluster on a net (ECMP). */
export type Via = { host: true } | { node: number; net: number } | { routers: number }

/** A route: to `default`, to a cluster net N (192.168.N.0/24), in the main or a numbered table. */
export interface RouteSpec {
  to: 'default' | number
  via: Via | Via[]
  table?: number
}

/** What one node sets up in the guest; every attached net gets 192.168.N.I unless said otherwise. */
export interface NodeSpec {
  /** Nets attached but left without addresses. */
  unaddressed?: number[]
  /** Nets addressed from the topology's address template (multilan-router) instead of 192.168.N.I. */
  templateNets?: number[]
  /** An attached net addressed as another: `{ 2: 1 }` gives the NIC on net 2 the address 192.168.1.I. */
  addressAs?: Record<number, number>
  routes?: RouteSpec[]
  /** Policy routing: what leaves through the NIC on `net` looks up `table`. */
  rules?: { net: number; table: number }[]
  /** IP forwarding (every router). */
  forward?: boolean
  /** Nets masqueraded out of eth0 (IPv4 and IPv6). */
  nat?: number[]
  /** A bridge inside the node joining the NICs on `members`, addressed on `net`. */
  bridge?: { name: string; members: number[]; net: number }
}

/** Nodes with their own nets or setup: one id or an inclusive range. */
export interface NodeGroup {
  ids: number | [number, number]
  nets?: number[]
  setup?: NodeSpec
  mem?: number
  smp?: number
}

export interface RoleSpec {
  nets: number[]
  setup: NodeSpec
  mem?: number
  smp?: number
}

/** A topology as data: what it needs of the cluster and what every node sets up. */
export interface TopologySpec {
  name: string
  description: string
  /** The routers it needs exactly; unset: any number (default 2). */
  routers?: number
  /** Testers it starts with when the user sets none. */
  testers?: number
  /** Testers it needs at least. */
  minTesters?: number
  roles: Record<Role, RoleSpec>
  /** Later groups win over earlier ones and over the role. */
  groups?: NodeGroup[]
}

/** The ids of a group, in order. */
export function groupIds(group: NodeGroup): number[] {
  const [from, to] = typeof group.ids === 'number' ? [group.ids, group.ids] : group.ids
  return Array.from({ length: to - from + 1 }, (_, k) => from + k)
}

export function inGroup(group: NodeGroup, id: number): boolean {
  return groupIds(group).includes(id)
}
