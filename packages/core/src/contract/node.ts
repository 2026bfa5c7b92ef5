/** The three kinds of node, told apart by number only (never by hostname patterns). */
export type Role = 'vm' | 'router' | 'tester'

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
