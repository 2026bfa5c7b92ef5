import { XclusterError } from '@xcluster/core'
import { type Command, configOf } from '@xcluster/core/cli'
import { renderPlan } from './render.js'
import { TOPOLOGIES } from './topologies/index.js'
import { clusterPlans, findTopology } from './topology-plugin.js'

const topologyCommand: Command = {
  name: 'topology',
  summary: 'list the network topologies, or show one\'s per-node plan',
  help: `Usage: xcluster topology list
       xcluster topology show NAME [--json] [settings]

list: every topology with what it is.
show: the plan of every node of the cluster NAME makes (with your config's and the command
line's settings): interfaces and addresses, routes, policy rules, forwarding and NAT. Nothing
starts. --json prints the plans as a JSON array.`,
  flags: ['json'],
  async run(input) {
    const [action, name] = input.args
    if (action === 'list') {
      const width = Math.max(...TOPOLOGIES.map((t) => t.name.length))
      for (const t of TOPOLOGIES) input.stdout(`${t.name.padEnd(width)}  ${t.description}\n`)
      return 0
    }
    if (action !== 'show' || !name) throw new XclusterError('use `xcluster topology list` or `xcluster topology show NAME`')
    const spec = findTopology(name)
    const { config } = await configOf({ ...input, options: { ...input.options, topology: name } }, 'topology', this.flags)
    const plans = clusterPlans(spec, config)
    if (input.options.json) input.stdout(`${JSON.stringify(plans, null, 2)}\n`)
    else for (const plan of plans) input.stdout(`# ${plan.hostname}\n${renderPlan(plan, config.mtu)}`)
    return 0
  },
}

/** The commands this package adds to the xcluster CLI. */
export const commands: Command[] = [topologyCommand]
