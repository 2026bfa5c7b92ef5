import type { ClusterContext } from '../contract/context.js'
import type { Node } from '../node/node.js'
import { assertMemoryFits } from '../qemu/kernel-memory.js'
import { type ClusterRecord, removeClusterRecord, writeClusterRecord } from '../runtime/cluster-record.js'
import { removeNodeRecord, writeNodeRecord } from '../runtime/node-record.js'
import { startNodes } from '../runtime/start-nodes.js'
import { removeClusterFiles } from '../runtime/stop-nodes.js'
import { setClocks } from '../snapshot/cluster-snapshot.js'
import { type Restore, restored } from '../snapshot/restore.js'
import { booted } from '../runtime/boot-strategy.js'
import { cloning } from '../clone/cloning.js'
import type { ChosenKernel } from '../workspace/choose-kernel.js'
import { ensureImage } from '../workspace/ensure-image.js'
import type { ClusterRun } from './cluster-run.js'

/**
 * The image the VMs boot, made sure of (built when missing), and the memory `nodes` have checked against its kernel;
 * returns the kernel chosen.
 */
export async function readyImage(cluster: ClusterRun, nodes: Node[]): Promise<ChosenKernel> {
  const { paths, kernel } = await ensureImage(cluster.host, cluster.config, cluster.log)
  cluster.useImage(paths)
  await assertMemoryFits(nodes, paths.kernel, paths.initrd)
  return kernel
}

/** How a start, scaleout or restore boots its targets. */
export interface BootRun {
  /** A start of a cluster that does not run: a failure takes back everything, its records and files too. */
  fresh: boolean
  /** What the cluster is recorded as (a start writes it; a scaleout keeps the start's). */
  record?: ClusterRecord
  /** The cdrom, made while the host side of the nets is. */
  prepare?: () => Promise<void>
  /** The snapshot the targets come back from, instead of booting. */
  restore?: Restore
}

/**
 * The one boot routine of start, scaleout and restore: `context.nodes` recorded, `context.targets` booted (or restored,
 * with their clocks set); on a failure the record is as it was before (nothing, for a fresh start) and the error goes
 * on.
 */
export async function bootTargets(cluster: ClusterRun, context: ClusterContext, run: BootRun): Promise<void> {
  const { stateDir } = cluster.config
  try {
    if (run.record) await writeClusterRecord(stateDir, run.record)
    await writeNodeRecord(stateDir, context.nodes)
    const strategy = run.restore
      ? restored(run.restore, context)
      : cluster.config.clone
        ? cloning(context, cluster.hooks.launch.isUsed())
        : booted(context)
    await startNodes(cluster, context, run.fresh, strategy, run.prepare)
    if (run.restore) await setClocks(cluster, context.targets)
  } catch (error) {
    if (run.fresh) {
      await removeClusterRecord(stateDir)
      await removeNodeRecord(stateDir)
      await removeClusterFiles(stateDir)
    } else
      await writeNodeRecord(
        stateDir,
        context.nodes.filter((node) => !context.targets.includes(node)),
      )
    throw error
  }
}
