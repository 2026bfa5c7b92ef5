import {
  type Flags,
  type Operation,
  type OperationInput,
  PICTURE_FLAGS,
  XclusterError,
  clusterOf,
  defineOperation,
  drawPicture,
  presentDrawing,
  wantsPicture,
} from '@xcluster/core'
import { renderPlan } from './render.js'
import type { TopologySpec } from './spec.js'
import { TOPOLOGIES } from './topologies/index.js'
import { type TopologyPlugin, clusterPlans } from './topology-plugin.js'
import { topologyTest } from './topology-test.js'

const FLAGS = {
  json: { type: 'boolean', help: 'show: the plans as a JSON array' },
  ...PICTURE_FLAGS,
} as const satisfies Flags

const ownTopologies = (plugins: object[]) =>
  plugins.filter((p): p is TopologyPlugin => 'topology' in p).map((p) => p.topology)

/**
 * The cluster `show NAME` draws: a topology of this package by name (it replaces the config's),
 * else the config's own topology of that name.
 */
async function shownTopology(
  input: OperationInput,
  name: string,
): Promise<{ spec: TopologySpec; cluster: Awaited<ReturnType<typeof clusterOf>> }> {
  const builtIn = TOPOLOGIES.find((t) => t.name === name)
  if (builtIn)
    return { spec: builtIn, cluster: await clusterOf({ ...input, options: { ...input.options, topology: name } }) }
  const cluster = await clusterOf(input)
  const own = ownTopologies(cluster.plugins).find((t) => t.name === name)
  if (!own) {
    const mine = ownTopologies(cluster.plugins)
      .filter((t) => !TOPOLOGIES.includes(t))
      .map((t) => t.name)
    const yours = mine.length > 0 ? `, and your config's ${mine.join(', ')}` : ''
    throw new XclusterError(
      `topology ${name} does not exist; there are: ${TOPOLOGIES.map((t) => t.name).join(', ')}${yours}`,
    )
  }
  return { spec: own, cluster }
}

const topologyOperation = defineOperation({
  name: 'topology',
  output: '`test` writes each check as it ends; `show --json` prints the plans',
  summary: "list the network topologies, show or draw one's plan, or boot and test them",
  usage: `list
       xcluster topology show NAME [--json | --svg | --dot] [-o FILE] [settings]
       xcluster topology test [NAME...] [settings]`,
  help: `list: every topology with what it is.
show: the plan of every node of the cluster NAME makes (with your config's and the command
line's settings): interfaces and addresses, routes, policy rules, forwarding and NAT. Nothing
starts. NAME may be a topology of your config (\`topology({ name, ... })\`).
test: boots each topology in turn (every one when none is named), as the shell tool's
network-topology.sh test did: pings across the routers (IPv4 and IPv6) and the topology's own
checks, and name lookups of the cluster's names; PASS or FAIL per check, then a summary. Exit
status 0 only if every check passed. It stops a cluster that runs in this state directory, and
stops each topology's cluster after its checks.`,
  flags: FLAGS,
  // `test` writes each check as it ends.
  stream: true,
  complete: (_input, index) => (index === 0 ? ['list', 'show', 'test'] : TOPOLOGIES.map((t) => t.name)),
  async run(input) {
    const [action, ...names] = input.args
    if (action === 'list') {
      const width = Math.max(...TOPOLOGIES.map((t) => t.name.length))
      for (const t of TOPOLOGIES) input.stdout(`${t.name.padEnd(width)}  ${t.description}\n`)
      return 0
    }
    if (action === 'test') return topologyTest(input, names)
    const [name] = names
    if (action !== 'show' || !name)
      throw new XclusterError(
        'use `xcluster topology list`, `xcluster topology show NAME` or `xcluster topology test [NAME...]`',
      )
    const { spec, cluster } = await shownTopology(input, name)
    if (wantsPicture(input)) {
      input.stdout(presentDrawing(await drawPicture(input, await cluster.picture("xcluster: the cluster's plan"))).text)
      return 0
    }
    const plans = clusterPlans(spec, cluster.config)
    if (input.flags.json) input.stdout(`${JSON.stringify(plans, null, 2)}\n`)
    else for (const plan of plans) input.stdout(`# ${plan.hostname}\n${renderPlan(plan, cluster.config.mtu)}`)
    return 0
  },
})

/** The operations this package adds: commands of the xcluster CLI. */
export const operations: Operation[] = [topologyOperation]
