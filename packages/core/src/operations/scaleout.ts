import { defineOperation } from '../contract/operation.js'
import { nodesOfArgs } from './node-ids.js'
import { launched, presentLaunched } from './launched.js'
import { statusReport } from './status-rows.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const scaleoutOperation = defineOperation({
  name: 'scaleout',
  output: 'the VMs as `status --json`',
  summary: SUMMARIES.scaleout,
  usage: `ID...`,
  help: `Boots the given VMs with the role and nets of their number (1-200 vm, 201-220 router,
221-240 tester) and the cluster's cdrom. A VM that already runs is refused, the others start.
The new VMs join the cluster's record: status, stop and DNS names know them. A VM of the record
that went down comes back as it was started, and every VM with the settings the cluster's start was
given (--mtu, --mem, ...) under this command's own.`,
  flags: {},
  async run(input) {
    // Booted as the rest of the cluster was: with the settings given to its start under this command's.
    const cluster = await clusterOf(input, { asStarted: true })
    const ids = nodesOfArgs(cluster.config, input.args, 'scaleout').map((node) => node.id)
    const result = await cluster.scaleOut(ids)
    return launched(result, statusReport(await cluster.status(), cluster.config.stateDir))
  },
  present: presentLaunched,
  json: (result) => result.status.vms,
})
