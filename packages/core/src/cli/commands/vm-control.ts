import { runningVmIds } from '../completion.js'
import type { Cluster } from '../../lifecycle/cluster.js'
import type { Command } from '../command.js'
import { nodesOfArgs } from '../node-ids.js'
import { clusterOf } from '../cluster-of.js'

/** A command acting on running VMs one after the other: `xcluster NAME ID...`. */
function vmControl(
  name: string,
  summary: string,
  help: string,
  act: (cluster: Cluster, id: number) => Promise<string>,
): Command {
  return {
    name,
    summary,
    usage: 'ID...',
    help,
    flags: {},
    complete: (input) => runningVmIds(input),
    async run(input) {
      const cluster = await clusterOf(input)
      for (const node of nodesOfArgs(cluster.config, input.args, name)) input.stdout(`${await act(cluster, node.id)}\n`)
      return 0
    },
  }
}

export const stopVmCommand = vmControl(
  'stop-vm',
  'freeze VMs (QMP stop) keeping the cluster; cont-vm lets them run on',
  `Flushes each VM's disks (sync over ssh), then stops its emulation: the qemu process, its nets
and the rest of the cluster stay; status shows it paused. \`xcluster cont-vm ID\` lets it run on.`,
  async (cluster, id) => `${(await cluster.pauseVm(id)).hostname} paused`,
)

export const contVmCommand = vmControl(
  'cont-vm',
  'let paused VMs run on (QMP cont)',
  'Lets each VM that stop-vm froze run on.',
  async (cluster, id) => `${(await cluster.resumeVm(id)).hostname} runs`,
)

export const resetVmCommand = vmControl(
  'reset-vm',
  'reset VMs (QMP system_reset) and wait until they are up again',
  `Flushes each running VM's disks (sync over ssh), resets it as its reset button would (a paused
VM runs again) and waits until it is up again. Its disk keeps what the guest wrote.`,
  async (cluster, id) => `${(await cluster.resetVm(id)).hostname} reset and up again`,
)
