import { access } from 'node:fs/promises'
import { cdromPath } from '../../overlay/cdrom.js'
import { partitionRunning, startNodes } from '../../runtime/start-nodes.js'
import { ensureImage } from '../../workspace/ensure-image.js'
import type { Command } from '../command.js'
import { nodesOfArgs } from '../node-ids.js'
import { printStatus } from '../print-status.js'
import { clusterOf, contextOf } from '../session.js'

export const scaleoutCommand: Command = {
  name: 'scaleout',
  summary: 'add VMs to the running cluster',
  help: `Usage: xcluster scaleout ID...

Boots the given VMs with the role and nets of their number (1-200 vm, 201-220 router,
221-240 tester) and the cluster's cdrom. A VM that already runs is refused, the others start.`,
  flags: ['json'],
  async run(input) {
    const cluster = await clusterOf(input, 'scaleout', this.flags)
    const nodes = nodesOfArgs(cluster.config, input.args, 'scaleout')
    const cdrom = cdromPath(cluster.config.stateDir)
    const hasCdrom = await access(cdrom).then(() => true, () => false)
    const context = contextOf(cluster, input, nodes, hasCdrom ? cdrom : undefined)
    const { toStart, refusals } = await partitionRunning(context)
    for (const refusal of refusals) input.stderr(`xcluster scaleout: ${refusal}\n`)
    if (toStart.length > 0) {
      await ensureImage(cluster.config, context.log)
      await startNodes(cluster, { ...context, nodes: toStart }, false)
    }
    await printStatus(cluster, context, input)
    return refusals.length > 0 ? 1 : 0
  },
}
