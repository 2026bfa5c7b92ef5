import type { ClusterConfig } from '../contract/settings.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { stillRunning, vmProcess } from '../vm/processes.js'
import { qmpCommand } from '../vm/qmp.js'
import { readyCount, waitUntilReady } from '../vm/readiness.js'

/** Stops the emulation of a VM (QMP stop): its process and the cluster stay, the guest is frozen. */
export async function pauseVm(config: ClusterConfig, node: Node): Promise<Node> {
  await qmpCommand(vmFiles(config.stateDir, node.id).qmp, 'stop')
  return node
}

/** Lets a paused VM run on (QMP cont). */
export async function resumeVm(config: ClusterConfig, node: Node): Promise<Node> {
  await qmpCommand(vmFiles(config.stateDir, node.id).qmp, 'cont')
  return node
}

/**
 * Resets a VM as its reset button would (QMP system_reset, then cont: a paused one runs again)
 * and waits until it is up once more. Its disk keeps what the guest wrote: not a first boot.
 */
export async function resetVm(config: ClusterConfig, node: Node): Promise<Node> {
  const files = vmFiles(config.stateDir, node.id)
  const boots = (await readyCount(node, files.consoleLog)) + 1
  await qmpCommand(files.qmp, 'system_reset')
  await qmpCommand(files.qmp, 'cont')
  const vm = await vmProcess(config.stateDir, node.id)
  await waitUntilReady(
    node,
    files.consoleLog,
    config.bootTimeout,
    async () => vm !== undefined && stillRunning(vm, config.stateDir),
    boots,
  )
  return node
}
