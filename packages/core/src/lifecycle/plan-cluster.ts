import { imageFiles } from '@xcluster/image/image-files'
import { existsSync } from 'node:fs'
import type { Node } from '../node/node.js'
import { selectedOverlays } from '../overlay/cluster-overlays.js'
import { assertMemoryFits } from '../qemu/kernel-memory.js'
import { restorable } from '../snapshot/cluster-snapshot.js'
import { type ChosenKernel, chooseKernel } from '../workspace/choose-kernel.js'
import type { ClusterRun } from './cluster-run.js'
import { vmArgv } from '../runtime/vm-argv.js'

/**
 * The kernel and the qemu argv of every planned node, as `start` would run them (the image is not built); what a
 * start would refuse before booting (memory the kernel cannot boot in, overlays not found, a snapshot that cannot be
 * restored) is refused here too.
 */
export async function planCluster(
  cluster: ClusterRun,
  options: { snapshot?: string },
): Promise<{ kernel: ChosenKernel; plans: { node: Node; argv: string[] }[] }> {
  const { config } = cluster
  const nodes = options.snapshot ? (await restorable(cluster, options.snapshot)).nodes : cluster.plannedNodes()
  const kernel = await chooseKernel(config, imageFiles(config.workspace).kernel)
  if (existsSync(kernel.path) && existsSync(config.initrd)) await assertMemoryFits(nodes, kernel.path, config.initrd)
  await selectedOverlays(config, cluster.overlayPlaces, cluster.log)
  const context = cluster.context(nodes, nodes, config.cdrom)
  const planned = { ...context, config: { ...context.config, kernel: kernel.path } }
  const plans = []
  for (const node of nodes) plans.push({ node, argv: await vmArgv(cluster.hooks, node, planned) })
  return { kernel, plans }
}
