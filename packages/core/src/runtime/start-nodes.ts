import { ensurePrivateDir } from '../host/trusted-path.js'
import type { Cluster } from '../lifecycle/cluster.js'
import type { ClusterContext } from '../lifecycle/context.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { createDisk, launchQemu, removeVmFiles } from '../vm/launch.js'
import { runningVms, stillRunning } from '../vm/processes.js'
import { waitUntilReady } from '../vm/readiness.js'
import { stopNodes } from './stop-nodes.js'

function batches<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size))
}

/** Nodes of the context that already run are refused one by one; the rest start. */
export async function partitionRunning(context: ClusterContext): Promise<{ toStart: Node[]; refusals: string[] }> {
  const running = await runningVms(context.stateDir)
  return {
    toStart: context.nodes.filter((node) => !running.has(node.id)),
    refusals: context.nodes.filter((node) => running.has(node.id)).map((node) => `${node.hostname} is already running (pid ${running.get(node.id)!.pid}); not started again`),
  }
}

async function bootOne(cluster: Cluster, node: Node, context: ClusterContext): Promise<void> {
  const files = vmFiles(context.stateDir, node.id)
  await removeVmFiles(files)
  await createDisk(files, context.config.image)
  await launchQemu(node, await cluster.argvOf(node, context))
}

/**
 * Boots `context.nodes` in batches of `config.batch`, each batch waited for until every VM of it
 * says it is up. If anything fails, the VMs of this call are stopped and cleaned before the
 * error goes on; `undoHostSide` also runs afterStop to take back what beforeNet made.
 */
export async function startNodes(cluster: Cluster, context: ClusterContext, undoHostSide: boolean): Promise<void> {
  const { config } = context
  await ensurePrivateDir(context.stateDir, 'state directory')
  try {
    await cluster.hooks.beforeNet.promise(context)
    for (const batch of batches(context.nodes, config.batch)) {
      context.log(`booting ${batch.map((n) => n.hostname).join(', ')}`)
      for (const node of batch) await bootOne(cluster, node, context)
      const running = await runningVms(context.stateDir)
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
