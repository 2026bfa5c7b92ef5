import type { ClusterConfig } from './settings.js'
import type { Host } from '../host/host.js'
import type { Nic, Node } from './node.js'

/** What every lifecycle hook sees of one run (start, scaleout, stop, status) of the cluster. */
export interface ClusterContext {
  config: ClusterConfig
  /** Every node of the cluster, as the state directory records it (with this run's changes). */
  nodes: Node[]
  /** The nodes this run starts or stops: all on a first start, the new ones on scaleout, none on status. */
  targets: Node[]
  /** The only way a plugin runs programs or reads the host's environment. */
  host: Host
  /** Directory of this cluster's runtime files (pidfiles, sockets, disks, logs). */
  stateDir: string
  /** The `ip netns` name the cluster runs in, undefined in the main namespace. */
  netns: string | undefined
  /** The ISO with the overlays, when there is one. */
  cdrom: string | undefined
  /** Progress for the user, on stderr. */
  log(message: string): void
  /**
   * The plugin that attaches the NICs of net `net` (whose netSetup answers for them, asked as a start asks it: so
   * netSetup only works out words), undefined when no node of `nodes` is on it. A backend draws and reports only the
   * nets it attaches, never one another plugin carries.
   */
  attachedBy(net: number): Promise<string | undefined>
}

/** One (node, net) pair: the NIC `nic` of `node`, to attach to net `nic.net`. */
export interface NodeNet {
  node: Node
  nic: Nic
  context: ClusterContext
}

/** The qemu words that attach one NIC (`-netdev ... -device ...`). */
export type NetArgs = string[]

/** Content unpacked on `/` in the guest at first boot; `path` is a directory or a tar file. */
export interface Overlay {
  name: string
  path?: string
  /** Generated files by path relative to `/`, e.g. `etc/init.d/30x.rc`. */
  files?: Record<string, { content: string | Uint8Array; mode?: number }>
  /** Host programs put at the same path in the guest, with every shared library they load. */
  programs?: string[]
  /**
   * The shell tool's form: an executable run as `tarScript <out-file>` that writes the overlay's
   * tar (logs on stderr only), with the settings in its environment; instead of `path`.
   */
  tarScript?: string
}

/** Where the host reaches a service of a guest. */
export interface Endpoint {
  host: string
  port: number
}

/** One line of `xcluster status` about a service of the cluster. */
export interface ReportLine {
  text: string
  /** What is wrong and how to fix it, when something is. */
  problem?: string
}
