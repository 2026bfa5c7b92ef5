import { copyFile } from 'node:fs/promises'
import { XclusterError } from '../errors.js'
import { hostname } from '../node/addressing.js'
import type { Node } from '../node/node.js'
import { clusterOverlays, selectedOverlays } from '../overlay/cluster-overlays.js'
import { readNodeRecord } from '../runtime/node-record.js'
import { ensureStateDir } from '../runtime/state-dir.js'
import { stopNodes } from '../runtime/stop-nodes.js'
import { knownNodes } from '../runtime/vm-states.js'
import { restorable } from '../snapshot/cluster-snapshot.js'
import { snapshotCdrom } from '../snapshot/snapshot-files.js'
import { runningVms } from '../vm/processes.js'
import { bootTargets, readyImage } from './boot-targets.js'
import type { ClusterRun, LaunchResult } from './cluster-run.js'

export const byId = (nodes: Node[]) =>
  [...new Map(nodes.map((node) => [node.id, node])).values()].sort((a, b) => a.id - b.id)

/**
 * Boots every planned VM (or those of snapshot `snapshot`). With `restart`, a cluster that runs (any VM of it) is
 * stopped first, as the shell tool does; else VMs that run are refused one by one. A recorded VM the config no longer
 * has is removed when dead and kept when it runs (added by scaleout). When everything runs already, afterStart still
 * runs so plugins restart dead services.
 */
export async function startCluster(
  cluster: ClusterRun,
  options: { restart?: boolean; snapshot?: string },
): Promise<LaunchResult> {
  const { stateDir, cdrom } = cluster.config
  // A snapshot brings back the cluster it was taken of, when it was taken of this one's kernel, image and plugins.
  const restore = options.snapshot ? await restorable(cluster, options.snapshot) : undefined
  const planned = restore?.nodes ?? cluster.plannedNodes()
  // Checked before a running cluster is stopped for the restart: a start that cannot boot changes nothing.
  const kernel = await readyImage(cluster, planned)
  if (kernel.note) cluster.log(kernel.note)
  const userOverlays = await selectedOverlays(cluster.config, cluster.overlayPlaces, cluster.log)
  let known = await knownNodes(cluster.config, await readNodeRecord(stateDir))
  let running = await runningVms(
    stateDir,
    byId([...known, ...planned]).map((node) => node.id),
  )
  if (options.restart && running.size > 0) {
    cluster.log(`the cluster runs (${[...running.keys()].map(hostname).join(', ')}): stopping it to start again`)
    await cluster.stop()
    known = []
    running = new Map()
  }
  const plannedIds = new Set(planned.map((node) => node.id))
  const strays = known.filter((node) => !plannedIds.has(node.id) && !running.has(node.id))
  if (strays.length > 0) await stopNodes(cluster, cluster.context(known, strays))
  const extra = known.filter((node) => !plannedIds.has(node.id) && running.has(node.id))
  const kept = (node: Node) => (running.has(node.id) ? (known.find((k) => k.id === node.id) ?? node) : node)
  const nodes = byId([...planned.map(kept), ...extra])
  const refused = planned
    .filter((node) => running.has(node.id))
    .map((node) => ({ node, pid: running.get(node.id)!.pid }))
  const targets = planned.filter((node) => !running.has(node.id))
  const context = cluster.context(nodes, targets, cdrom)
  if (targets.length === 0) {
    if (refused.length === 0) throw new XclusterError('the cluster has no nodes: set nodes, routers or testers')
    await cluster.hooks.afterStart.promise(context)
    return { started: [], refused }
  }
  const overlays = await clusterOverlays(cluster, context, userOverlays)
  // A directory that is not xcluster's is refused before anything is written or cleaned in it.
  await ensureStateDir(stateDir)
  await bootTargets(cluster, context, {
    fresh: refused.length === 0 && extra.length === 0,
    record: cluster.record,
    prepare: restore ? () => copyFile(snapshotCdrom(restore.dir), cdrom) : () => cluster.packCdrom(overlays),
    restore,
  })
  return { started: targets, refused }
}
