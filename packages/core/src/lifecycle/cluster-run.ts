import type { ClusterContext, Endpoint, Overlay } from '../contract/context.js'
import type { HookedCluster } from '../contract/hooks.js'
import type { Plugin } from '../contract/plugin.js'
import type { ClusterConfig } from '../contract/settings.js'
import type { Host } from '../host/host.js'
import type { Node } from '../node/node.js'
import type { OverlayPlaces } from '../overlay/cluster-overlays.js'
import type { ClusterRecord } from '../runtime/cluster-record.js'
import type { SnapshotCluster } from '../snapshot/cluster-snapshot.js'
import type { ImagePaths } from '../workspace/ensure-image.js'

/** What a start or scaleout did: the VMs it booted, and those it refused because they run. */
export interface LaunchResult {
  started: Node[]
  refused: { node: Node; pid: number }[]
}

/**
 * What the steps of a run (start, scaleout, stop, status, a plan, a running VM) need of their cluster: Cluster is one,
 * and these modules know it by this alone, so that none imports the class that imports them.
 */
export interface ClusterRun extends HookedCluster, SnapshotCluster {
  readonly config: ClusterConfig
  readonly plugins: Plugin[]
  readonly host: Host
  readonly log: (message: string) => void
  readonly record: ClusterRecord
  readonly overlayPlaces: OverlayPlaces
  plannedNodes(): Node[]
  context(nodes: Node[], targets: Node[], cdrom?: string): ClusterContext
  useImage(paths: ImagePaths): void
  packCdrom(overlays: Overlay[]): Promise<void>
  stop(ids?: number[]): Promise<{ stopped: Node[]; unknown: number[] }>
  endpointOf(node: Node, guestPort: number): Promise<Endpoint>
}
