import type { ClusterConfig } from '../contract/settings.js'
import { cloneMark } from '../clone/clone-mark.js'
import { type Node, nodeOf } from '../node/node.js'
import { roleOf } from '../node/roles.js'
import { vmFiles } from '../qemu/state-files.js'
import { idsWithFiles, runningVms } from '../vm/processes.js'
import { qmpCommand } from '../vm/qmp.js'
import { linksDown } from './links.js'
import { readNodeRecord } from './node-record.js'

/** One VM of the cluster as the host sees it now. */
export interface VmState {
  node: Node
  /** The qemu pid, when it runs. */
  pid: number | undefined
  /** Its emulation is stopped (`xcluster stop-vm`): the process lives, the guest does not run. */
  paused: boolean
  /** The kernel it booted, when it runs. */
  kernel?: string
  /** The nets whose link is down (`xcluster link`). */
  linksDown: number[]
  /** The template a clone was started from (its key); undefined for a VM that booted. */
  template?: string
}

/** A VM's emulation is stopped, by QMP's query-status; a VM whose QMP does not answer counts as running. */
export async function vmPaused(stateDir: string, id: number): Promise<boolean> {
  const status = await qmpCommand(vmFiles(stateDir, id).qmp, 'query-status').catch(() => undefined)
  return (status as { status?: string } | undefined)?.status === 'paused'
}

/**
 * The recorded nodes, and any VM that left files without a record (a start cut short), as the
 * config describes it: nothing the state directory holds is hidden from status and stop.
 */
export async function knownNodes(config: ClusterConfig, recorded: Node[]): Promise<Node[]> {
  const ids = new Set(recorded.map((node) => node.id))
  const leftovers = (await idsWithFiles(config.stateDir))
    .filter((id) => !ids.has(id) && roleOf(id))
    .map((id) => nodeOf(config, id))
  return [...recorded, ...leftovers].sort((a, b) => a.id - b.id)
}

/** Every node of the cluster with its pid when it runs. */
export async function vmStates(config: ClusterConfig): Promise<VmState[]> {
  const nodes = await knownNodes(config, await readNodeRecord(config.stateDir))
  const running = await runningVms(
    config.stateDir,
    nodes.map((node) => node.id),
  )
  return Promise.all(
    nodes.map(async (node) => {
      const vm = running.get(node.id)
      if (vm === undefined) return { node, pid: undefined, paused: false, linksDown: [] }
      const paused = await vmPaused(config.stateDir, node.id)
      const [down, template] = await Promise.all([
        linksDown(config.stateDir, node.id),
        cloneMark(vmFiles(config.stateDir, node.id)),
      ])
      return { node, pid: vm.pid, paused, kernel: vm.kernel, linksDown: down, template }
    }),
  )
}
