import { XclusterError } from '../../errors.js'
import { buildCdrom, cdromPath } from '../../overlay/cdrom.js'
import { clusterOverlays } from '../../overlay/cluster-overlays.js'
import { startNodes, partitionRunning } from '../../runtime/start-nodes.js'
import { clusterVms } from '../../runtime/cluster-vms.js'
import { removeClusterFiles, stopNodes } from '../../runtime/stop-nodes.js'
import { ensureImage } from '../../workspace/ensure-image.js'
import { type Command, SETTINGS_HELP } from '../command.js'
import { nodeJson } from '../node-json.js'
import { printStatus } from '../print-status.js'
import { clusterOf, contextOf } from '../session.js'
import { shellLine } from '../shell-words.js'

export const startCommand: Command = {
  name: 'start',
  summary: 'boot the cluster and wait until every VM is up (--dry-run prints the qemu command lines)',
  help: `Usage: xcluster start [--dry-run] [--json] [settings]

Boots vm-001.., routers vm-201.. and testers vm-221.. with their nets, in batches of --batch
VMs (default: the host's cores), waits until each says it is up, then prints the status.
The image is built first when missing or out of date. VMs that already run are refused one by
one (exit status 1) and the others start. If a VM fails to come up, every VM this start
launched is stopped and the error shows the end of its console log.
  --dry-run   print the qemu command line of every VM instead of starting it
  --json      a JSON array: with --dry-run {id, hostname, role, nets, macs, ipv4, ipv6, mem, smp, argv},
              else the status
  --batch=N --boot-timeout=S --overlays=a,b

${SETTINGS_HELP}`,
  flags: ['dry-run', 'json'],
  async run(input) {
    const cluster = await clusterOf(input, 'start', this.flags)
    const { stateDir } = cluster.config
    const context = contextOf(cluster, input, cluster.nodes, cdromPath(stateDir))
    if (input.options['dry-run']) {
      const plans = []
      for (const node of cluster.nodes) plans.push({ ...nodeJson(node), argv: await cluster.argvOf(node, context) })
      if (input.options.json) input.stdout(`${JSON.stringify(plans, null, 2)}\n`)
      else for (const plan of plans) input.stdout(`# ${plan.hostname}\n${shellLine(plan.argv)}\n`)
      return 0
    }
    const { toStart, refusals } = await partitionRunning(context)
    for (const refusal of refusals) input.stderr(`xcluster start: ${refusal}\n`)
    // A dead VM of the config boots again below; one the config no longer has is cleaned up.
    const ids = new Set(cluster.nodes.map((node) => node.id))
    const strays = (await clusterVms(cluster.config)).filter((vm) => vm.pid === undefined && !ids.has(vm.node.id)).map((vm) => vm.node)
    if (strays.length > 0) await stopNodes(cluster, { ...context, nodes: strays })
    if (toStart.length > 0) {
      const fresh = refusals.length === 0
      const overlays = await clusterOverlays(cluster, context, input.cwd)
      await ensureImage(cluster.config, context.log)
      try {
        await buildCdrom(overlays, cdromPath(stateDir))
        await startNodes(cluster, { ...context, nodes: toStart }, fresh)
      } catch (error) {
        if (fresh) await removeClusterFiles(stateDir)
        throw error
      }
    } else if (refusals.length === 0) {
      throw new XclusterError('the cluster has no nodes: set nodes, routers or testers')
    } else {
      // Every VM runs already: the services they use are checked and restarted if they died.
      await cluster.hooks.afterStart.promise(context)
    }
    await printStatus(cluster, context, input)
    return refusals.length > 0 ? 1 : 0
  },
}
