import type { Cluster } from '../lifecycle/cluster.js'
import { type Flags, type ResultOperation, defineOperation } from '../contract/operation.js'
import { runningVmIds } from './completion-words.js'
import { nodesOfArgs } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

/** What was done to each VM, one line each: `vm-002 paused`. */
type Done = { done: string[] }

/** An operation on running VMs one after the other: `xcluster NAME ID...`. */
function vmControl(
  name: string,
  summary: string,
  help: string,
  act: (cluster: Cluster, id: number) => Promise<string>,
): ResultOperation<Flags, Done> {
  return defineOperation({
    name,
    output: '`{ done }`: what was done, a line per VM',
    summary,
    usage: 'ID...',
    help,
    flags: {},
    complete: (input) => runningVmIds(input),
    async run(input) {
      const cluster = await clusterOf(input)
      const done: string[] = []
      for (const node of nodesOfArgs(cluster.config, input.args, name)) done.push(await act(cluster, node.id))
      return { done }
    },
    present: ({ done }) => ({ text: done.map((line) => `${line}\n`).join('') }),
  })
}

export const stopVmOperation = vmControl(
  'stop-vm',
  SUMMARIES['stop-vm'],
  `Flushes each VM's disks (sync over ssh), then stops its emulation: the qemu process, its nets
and the rest of the cluster stay; status shows it paused. \`xcluster cont-vm ID\` lets it run on.`,
  async (cluster, id) => `${(await cluster.pauseVm(id)).hostname} paused`,
)

export const contVmOperation = vmControl(
  'cont-vm',
  SUMMARIES['cont-vm'],
  'Lets each VM that stop-vm froze run on.',
  async (cluster, id) => `${(await cluster.resumeVm(id)).hostname} runs`,
)

export const resetVmOperation = vmControl(
  'reset-vm',
  SUMMARIES['reset-vm'],
  `Flushes each running VM's disks (sync over ssh), resets it as its reset button would (a paused
VM runs again) and waits until it is up again. Its disk keeps what the guest wrote.`,
  async (cluster, id) => `${(await cluster.resetVm(id)).hostname} reset and up again`,
)
