import { XclusterError } from '../../errors.js'
import { nodeJson } from '../node-json.js'
import { type Command, SETTINGS_HELP } from '../command.js'
import { clusterOf, contextOf } from '../session.js'
import { shellLine } from '../shell-words.js'

export const startCommand: Command = {
  name: 'start',
  summary: 'start the cluster (--dry-run prints each VM\'s qemu command line)',
  help: `Usage: xcluster start [--dry-run] [--json] [settings]

Starts vm-001.., routers vm-201.. and testers vm-221.. with their nets.
  --dry-run   print the qemu command line of every VM instead of starting it
  --json      with --dry-run: a JSON array of {id, hostname, role, nets, macs, ipv4, ipv6, mem, smp, argv}

${SETTINGS_HELP}`,
  flags: ['dry-run', 'json'],
  async run(input) {
    const cluster = await clusterOf(input, 'start', this.flags)
    if (!input.options['dry-run']) throw new XclusterError('booting VMs is not available yet: use --dry-run')
    const context = contextOf(cluster, input, cluster.nodes, undefined)
    const plans = []
    for (const node of cluster.nodes) plans.push({ ...nodeJson(node), argv: await cluster.argvOf(node, context) })
    if (input.options.json) input.stdout(`${JSON.stringify(plans, null, 2)}\n`)
    else for (const plan of plans) input.stdout(`# ${plan.hostname}\n${shellLine(plan.argv)}\n`)
    return 0
  },
}
