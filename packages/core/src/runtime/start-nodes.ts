import { ensurePrivateDir } from '../host/trusted-path.js'
import type { ClusterContext } from '../lifecycle/context.js'
import type { HookedCluster } from '../lifecycle/hooks.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { createDisk, launchQemu, removeVmFiles } from '../vm/launch.js'
import { runningVms, stillRunning } from '../vm/processes.js'
import { waitUntilReady } from '../vm/readiness.js'
import { stopNodes } from './stop-nodes.js'

function batches<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size))
}

async function bootOne(cluster: HookedCluster, node: Node, argv: string[], context: ClusterContext): Promise<void> {
  const files = vmFiles(context.stateDir, node.id)
  await removeVmFiles(files)
  await createDisk(context.host, files, context.config.image)
  if (!(await cluster.hooks.launch.promise(argv, node, context))) await launchQemu(context.host, node, argv)
}

/**
 * Boots `context.targets` in batches of `config.batch`, each batch waited for until every VM of it
 * says it is up, then runs afterStart. If anything fails, the VMs of this call are stopped and
 * cleaned before the error goes on; `undoHostSide` also runs afterStop to take back what beforeNet made.
 */
export async function startNodes(cluster: HookedCluster, context: ClusterContext, undoHostSide: boolean): Promise<void> {
  const { config } = context
  await ensurePrivateDir(context.stateDir, 'state directory')
  try {
    await cluster.hooks.beforeNet.promise(context)
    // Every command line first: a NIC that cannot be attached stops the start before any VM runs.
    const argvs = new Map<number, string[]>()
    for (const node of context.targets) argvs.set(node.id, await cluster.argvOf(node, context))
    for (const batch of batches(context.targets, config.batch)) {
      context.log(`booting ${batch.map((n) => n.hostname).join(', ')}`)
      for (const node of batch) await bootOne(cluster, node, argvs.get(node.id)!, context)
      const running = await runningVms(context.stateDir, batch.map((node) => node.id))
      await Promise.all(
        batch.map((node) => {
          const vm = running.get(node.id)
          const alive = async () => vm !== undefined && stillRunning(vm, context.stateDir)
          return waitUntilReady(node, vmFiles(context.stateDir, node.id).consoleLog, config.bootTimeout, alive)
        }),
      )
      context.log(`up: ${batch.map((n) => n.hostname).join(', ')}`)
    }
  } catch (error) {
    // Every node of this start, launched or not: beforeNet may have made host-side parts for each.
    context.log('start failed; ending the VMs it started')
    await stopNodes(cluster, context)
    if (undoHostSide) await cluster.hooks.afterStop.promise(context)
    throw error
  }
  await cluster.hooks.afterStart.promise(context)
}
