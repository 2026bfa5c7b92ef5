import { runningVmIds } from '../completion.js'
import { hostname } from '../../node/addressing.js'
import type { Command } from '../command.js'
import { nodesOfArgs } from '../node-ids.js'
import { clusterOf } from '../cluster-of.js'

export const scaleinCommand: Command = {
  name: 'scalein',
  summary: 'remove VMs from the running cluster',
  usage: `ID...`,
  help: `Ends the given VMs and removes what they used. An id that is not part of the cluster is
reported (exit status 1); the others are still removed.`,
  flags: {},
  complete: (input) => runningVmIds(input),
  async run(input) {
    const cluster = await clusterOf(input)
    const ids = nodesOfArgs(cluster.config, input.args, 'scalein').map((node) => node.id)
    const { unknown } = await cluster.stop(ids)
    for (const id of unknown) input.stderr(`xcluster scalein: ${hostname(id)} is not part of the cluster\n`)
    return unknown.length > 0 ? 1 : 0
  },
}
