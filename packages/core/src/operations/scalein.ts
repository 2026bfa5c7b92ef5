import { hostname } from '../node/addressing.js'
import { defineOperation } from '../contract/operation.js'
import { runningVmIds } from './completion-words.js'
import { nodesOfArgs } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const scaleinOperation = defineOperation({
  name: 'scalein',
  output: '`{ removed, unknown }`',
  summary: SUMMARIES.scalein,
  usage: `ID...`,
  help: `Ends the given VMs and removes what they used. An id that is not part of the cluster is
reported (exit status 1); the others are still removed.`,
  flags: {},
  complete: (input) => runningVmIds(input),
  async run(input) {
    const cluster = await clusterOf(input)
    const ids = nodesOfArgs(cluster.config, input.args, 'scalein').map((node) => node.id)
    const { stopped, unknown } = await cluster.stop(ids)
    return { removed: stopped.map((node) => node.hostname), unknown: unknown.map(hostname) }
  },
  present: ({ unknown }) => ({
    text: '',
    notes: unknown.map((name) => `${name} is not part of the cluster`),
    exit: unknown.length > 0 ? 1 : 0,
  }),
})
