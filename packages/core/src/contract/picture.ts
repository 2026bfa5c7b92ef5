import type { Role } from './node.js'

/** One net of a picture: its number, ranges and what carries it (a bridge, a multicast socket). */
export interface PictureNet {
  net: number
  /** `net 1 (cluster)`. */
  name: string
  /** `192.168.1.0/24`, `1000::1:192.168.1.0/120`. */
  ranges: string[]
  /** What carries it on the host, as the network backend says: `bridge xcbr1`, `socket 224.0.0.121:27031`. */
  medium?: string
}

/** One NIC of a node on a net, with the addresses the guest gives it. */
export interface PictureLink {
  net: number
  ifname: string
  addresses: string[]
}

export interface PictureNode {
  id: number
  hostname: string
  role: Role
  /** `running`, `paused`, `dead`: shown when the picture is of a running cluster. */
  state?: string
  /** The host it runs on, when the cluster spans hosts (`h2 (sim) 10.250.0.2`): drawn in that host's box. */
  host?: string
  links: PictureLink[]
}

/** What a drawing of the cluster's network shows; plugins change it through the `picture` hook. */
export interface NetworkPicture {
  title: string
  nets: PictureNet[]
  nodes: PictureNode[]
}
