import { rm } from 'node:fs/promises'
import type { ClusterContext } from '../contract/context.js'
import type { HookedCluster } from '../contract/hooks.js'
import { cdromPath } from '../qemu/state-files.js'
import { vmFiles } from '../qemu/state-files.js'
import { endProcess } from '../vm/end-process.js'
import { removeVmFiles } from '../vm/launch.js'
import { runningVms } from '../vm/processes.js'
import { removeStateDirIfEmpty } from './state-dir.js'

/** Ends the VMs of `context.targets` (running or already dead), then lets plugins and core remove what each used. */
export async function stopNodes(cluster: HookedCluster, context: ClusterContext): Promise<void> {
  const running = await runningVms(
    context.stateDir,
    context.targets.map((node) => node.id),
  )
  await Promise.all(
    context.targets.map(async (node) => {
      const vm = running.get(node.id)
      // No grace: its disk is removed next, and qemu took 1.5 s to end on SIGTERM (a TCG guest of 128 MiB).
      if (vm) await endProcess(vm.pid, 0)
      await cluster.hooks.nodeStopped.promise(node, context)
      await removeVmFiles(vmFiles(context.stateDir, node.id))
    }),
  )
}

/** Removes the cluster's cdrom, and the state directory once nothing else is in it. */
export async function removeClusterFiles(stateDir: string): Promise<void> {
  await rm(cdromPath(stateDir), { force: true })
  await removeStateDirIfEmpty(stateDir)
}
