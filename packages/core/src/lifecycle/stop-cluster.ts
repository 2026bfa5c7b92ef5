import type { Node } from '../node/node.js'
import { removeClusterRecord } from '../runtime/cluster-record.js'
import { readNodeRecord, removeNodeRecord, writeNodeRecord } from '../runtime/node-record.js'
import { isStateDir } from '../runtime/state-dir.js'
import { removeClusterFiles, stopNodes } from '../runtime/stop-nodes.js'
import { knownNodes } from '../runtime/vm-states.js'
import type { ClusterRun } from './cluster-run.js'

/**
 * Ends VMs and removes what they used. Without ids, the whole cluster: beforeStop, every VM, afterStop, then its
 * files. With ids, those VMs only (scalein); ids the cluster does not have are returned as unknown.
 */
export async function stopCluster(
  cluster: ClusterRun,
  ids?: number[],
): Promise<{ stopped: Node[]; unknown: number[] }> {
  const { stateDir } = cluster.config
  // Only a directory xcluster made holds files it may remove.
  if (!(await isStateDir(stateDir))) return { stopped: [], unknown: ids ?? [] }
  // A record that cannot be read must not keep the cluster from being stopped.
  const recorded = await readNodeRecord(stateDir).catch((): Node[] => [])
  const known = await knownNodes(cluster.config, recorded)
  if (ids === undefined) {
    const context = cluster.context(known, known)
    await cluster.hooks.beforeStop.promise(context)
    await stopNodes(cluster, context)
    await cluster.hooks.afterStop.promise(context)
    await removeClusterRecord(stateDir)
    await removeNodeRecord(stateDir)
    await removeClusterFiles(stateDir)
    return { stopped: known, unknown: [] }
  }
  const wanted = new Set(ids)
  const targets = known.filter((node) => wanted.has(node.id))
  const remaining = known.filter((node) => !wanted.has(node.id))
  await stopNodes(cluster, cluster.context(remaining, targets))
  await writeNodeRecord(
    stateDir,
    recorded.filter((node) => !wanted.has(node.id)),
  )
  return { stopped: targets, unknown: ids.filter((id) => !targets.some((node) => node.id === id)) }
}
