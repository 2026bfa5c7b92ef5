import { access } from 'node:fs/promises'
import { nodeOf } from '../node/node.js'
import { clusterOverlays, selectedOverlays } from '../overlay/cluster-overlays.js'
import { cdromPath } from '../qemu/state-files.js'
import { readNodeRecord } from '../runtime/node-record.js'
import { runningVms } from '../vm/processes.js'
import { bootTargets, readyImage } from './boot-targets.js'
import type { ClusterRun, LaunchResult } from './cluster-run.js'
import { byId } from './start-cluster.js'

/** Boots these VMs with the role and nets of their number and the cluster's cdrom; those that run are refused. */
export async function scaleOut(cluster: ClusterRun, ids: number[]): Promise<LaunchResult> {
  const { stateDir, cdrom } = cluster.config
  // A VM of the record that went down comes back as it was started (its nets, memory, CPUs), not as the config says.
  const recorded = await readNodeRecord(stateDir)
  const wanted = byId(ids.map((id) => recorded.find((node) => node.id === id) ?? nodeOf(cluster.config, id)))
  const running = await runningVms(
    stateDir,
    wanted.map((node) => node.id),
  )
  const targets = wanted.filter((node) => !running.has(node.id))
  const refused = wanted
    .filter((node) => running.has(node.id))
    .map((node) => ({ node, pid: running.get(node.id)!.pid }))
  if (targets.length === 0) return { started: [], refused }
  const targetIds = new Set(targets.map((node) => node.id))
  const nodes = byId([...recorded.filter((node) => !targetIds.has(node.id)), ...targets])
  const hasCdrom = await access(cdrom).then(
    () => true,
    () => false,
  )
  await readyImage(cluster, targets)
  const context = cluster.context(nodes, targets, hasCdrom ? cdrom : undefined)
  // The cluster's own cdrom is packed again with the new VMs in it (their nets' plans, /etc/hosts);
  // running VMs keep the one they opened. A cdrom of the user's (__cdrom) is theirs to make.
  if (hasCdrom && cdrom === cdromPath(stateDir))
    await cluster.packCdrom(
      // The start said which overlays it used; the new VMs get the same, quietly.
      await clusterOverlays(cluster, context, await selectedOverlays(cluster.config, cluster.overlayPlaces, () => {})),
    )
  await bootTargets(cluster, context, { fresh: false })
  return { started: targets, refused }
}
