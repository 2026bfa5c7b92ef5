import { clusterVms } from '../../runtime/cluster-vms.js'
import { stopNodes } from '../../runtime/stop-nodes.js'
import type { Command } from '../command.js'
import { nodesOfArgs } from '../node-ids.js'
import { clusterOf, contextOf } from '../session.js'

export const scaleinCommand: Command = {
  name: 'scalein',
  summary: 'remove VMs from the running cluster',
  help: `Usage: xcluster scalein ID...

Ends the given VMs and removes what they used. An id that is not part of the cluster is
reported (exit status 1); the others are still removed.`,
  flags: [],
  async run(input) {
    const cluster = await clusterOf(input, 'scalein', this.flags)
    const wanted = nodesOfArgs(cluster.config, input.args, 'scalein')
    const known = new Map((await clusterVms(cluster.config)).map((vm) => [vm.node.id, vm.node]))
    const missing = wanted.filter((node) => !known.has(node.id))
    for (const node of missing) input.stderr(`xcluster scalein: ${node.hostname} is not part of the cluster\n`)
    const nodes = wanted.filter((node) => known.has(node.id)).map((node) => known.get(node.id)!)
    await stopNodes(cluster, contextOf(cluster, input, nodes, undefined))
    return missing.length > 0 ? 1 : 0
  },
}
