import { ensureStateDir } from './state-dir.js'
import type { ClusterContext } from '../contract/context.js'
import type { HookedCluster } from '../contract/hooks.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { launchQemu, removeVmFiles } from '../vm/launch.js'
import { stillRunning, vmProcess } from '../vm/processes.js'
import type { BootStrategy } from './boot-strategy.js'
import { stopNodes } from './stop-nodes.js'
import { vmArgv } from './vm-argv.js'
import { vmLaunch } from './vm-launch.js'

async function bootOne(
  cluster: HookedCluster,
  node: Node,
  booted: string[],
  context: ClusterContext,
  strategy: BootStrategy,
) {
  const files = vmFiles(context.stateDir, node.id)
  await removeVmFiles(files)
  await strategy.disk(node, files)
  const argv = strategy.argv(node, booted)
  if (!(await cluster.hooks.launch.promise(vmLaunch(argv, files, context), node, context)))
    await launchQemu(context.host, node, argv)
}

/**
 * Boots `targets` with at most `batch` VMs booting at a time: as soon as one says it is up, the
 * next is launched (no batch waits for its slowest member). After the first failure no VM is
 * launched any more; those booting are waited for, then the failure is thrown.
 */
async function bootAll(
  cluster: HookedCluster,
  context: ClusterContext,
  argvs: Map<number, string[]>,
  strategy: BootStrategy,
): Promise<void> {
  const queue = [...context.targets]
  let failure: unknown
  const bootAndWait = async (node: Node) => {
    context.log(strategy.describe(node))
    await bootOne(cluster, node, argvs.get(node.id)!, context, strategy)
    const vm = await vmProcess(context.stateDir, node.id)
    await strategy.untilUp(node, async () => vm !== undefined && stillRunning(vm, context.stateDir))
    context.log(`up: ${node.hostname}`)
  }
  const worker = async () => {
    for (let node = queue.shift(); node !== undefined && failure === undefined; node = queue.shift()) {
      await bootAndWait(node).catch((error: unknown) => void (failure ??= error))
    }
  }
  await Promise.all(Array.from({ length: Math.min(context.config.batch, queue.length) }, worker))
  if (failure !== undefined) throw failure
}

/**
 * Boots `context.targets`, `config.batch` at a time, each waited for until it says it is up, then
 * runs afterStart (plugins wait there for what they started meanwhile). `prepare` (the cdrom) runs while beforeNet
 * makes the host side of the nets:
 * neither needs the other. If anything fails, the VMs of this call are stopped and cleaned before
 * the error goes on; `undoHostSide` also runs afterStop to take back what beforeNet made.
 */
export async function startNodes(
  cluster: HookedCluster,
  context: ClusterContext,
  undoHostSide: boolean,
  strategy: BootStrategy,
  prepare: () => Promise<void> = async () => {},
): Promise<void> {
  await ensureStateDir(context.stateDir)
  try {
    // Both settle before a failure goes on: nothing of either is left running behind the clean-up.
    const [net, prepared] = await Promise.allSettled([cluster.hooks.beforeNet.promise(context), prepare()])
    for (const result of [net, prepared]) if (result.status === 'rejected') throw result.reason
    // Every command line first: a NIC that cannot be attached stops the start before any VM runs.
    const argvs = new Map<number, string[]>()
    for (const node of context.targets) argvs.set(node.id, await vmArgv(cluster.hooks, node, context))
    await strategy.prepare?.(argvs)
    await bootAll(cluster, context, argvs, strategy)
    // Inside: a service that does not come up (DNS) fails the start like a VM that does not.
    await cluster.hooks.afterStart.promise(context)
  } catch (error) {
    // Every node of this start, launched or not: beforeNet may have made host-side parts for each.
    context.log('start failed; ending the VMs it started')
    await stopNodes(cluster, context)
    if (undoHostSide) await cluster.hooks.afterStop.promise(context)
    throw error
  }
}
