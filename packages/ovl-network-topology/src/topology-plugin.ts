import { readFileSync } from 'node:fs'
import {
  type ClusterConfig,
  type ClusterContext,
  ConfigError,
  HOST_ID,
  type Overlay,
  type Plugin,
  XclusterError,
  clusterIds,
  ipv4Address,
  ipv6Address,
} from '@xcluster/core'
import { topologyDefaults } from './configure.js'
import { type NodePlan, type PlanOptions, planNode } from './plan.js'
import { renderPlan, topologyHosts } from './render.js'
import { type TopologySpec, groupIds } from './spec.js'
import { TOPOLOGIES } from './topologies/index.js'
import { specIssues, topologyIssues } from './validate-topology.js'
import { topologyPicture } from './topology-picture.js'

const guestFile = (name: string) => readFileSync(new URL(`../guest/${name}`, import.meta.url))

/** A topology by name, or the user's own. */
export function findTopology(topology: string | TopologySpec): TopologySpec {
  if (typeof topology !== 'string') {
    const issues = specIssues(topology)
    if (issues.length > 0) throw new ConfigError(issues)
    return topology
  }
  const found = TOPOLOGIES.find((t) => t.name === topology)
  if (!found)
    throw new XclusterError(
      `topology ${topology} does not exist; there are: ${TOPOLOGIES.map((t) => t.name).join(', ')}`,
    )
  return found
}

/** The ids that get a plan: the cluster's, and those the topology names (zones' 10-29 for scaleout). */
export function plannedIds(spec: TopologySpec, config: ClusterConfig): number[] {
  const grouped = (spec.groups ?? []).flatMap(groupIds)
  return [...new Set([...clusterIds(config), ...grouped.filter((id) => id < 201)])].sort((a, b) => a - b)
}

export interface TopologyOptions extends PlanOptions {
  /**
   * The topology, when the plugin is named in a config by package: `['@xcluster/ovl-network-topology', { name:
   * 'diamond' }]`.
   */
  name?: string
  /**
   * true (the default): the topology's counts and nets bind, and a route without its gateway is
   * an error. false, for the implicit xnet: user settings win and nodes that do not fit get no plan.
   */
  strict?: boolean
}

/**
 * Every node's plan; a gateway a route names that is not there is a ConfigError (or, not strict, leaves that node
 * out).
 */
export function clusterPlans(spec: TopologySpec, config: ClusterConfig, options: TopologyOptions = {}): NodePlan[] {
  const ids = clusterIds(config)
  const issues = topologyIssues(spec, config, ids)
  if (issues.length > 0 && options.strict !== false) throw new ConfigError(issues)
  const unfit = new Set(issues.map((issue) => issue.node))
  return plannedIds(spec, config)
    .filter((id) => !unfit.has(id))
    .map((id) => planNode(spec, config, ids, id, options))
}

function topologyOverlay(spec: TopologySpec, { config, nodes }: ClusterContext, plans: NodePlan[]): Overlay {
  const head = [
    '127.0.0.1 localhost',
    '::1 localhost ip6-localhost ip6-loopback',
    `${ipv4Address(0, HOST_ID)} host`,
    `${ipv6Address(config.ipv6Prefix, 0, HOST_ID)} ip6-host`,
  ].join('\n')
  const clusterPlansOnly = plans.filter((plan) => nodes.some((node) => node.id === plan.id))
  const files: Overlay['files'] = {
    'etc/hosts': { content: topologyHosts(clusterPlansOnly, head) },
    'etc/init.d/12topology.rc': { content: guestFile('12topology.rc'), mode: 0o755 },
    'usr/lib/xcluster/apply-topology': { content: guestFile('apply-topology'), mode: 0o755 },
    'etc/xcluster/topology/name': { content: `${spec.name}\n` },
  }
  for (const plan of plans) files[`etc/xcluster/topology/${plan.hostname}`] = { content: renderPlan(plan, config.mtu) }
  return { name: `topology-${spec.name}`, files }
}

const isSpec = (value: object): value is TopologySpec => 'roles' in value

/** The plugin of a topology, with the topology it sets up (`topology show` finds a config's own by it). */
export interface TopologyPlugin extends Plugin {
  topology: TopologySpec
}

/**
 * A network topology: its counts and nets become defaults (an explicit setting that contradicts
 * them is an error), and every VM gets its plan (addresses, routes, NAT) as an overlay.
 * `topology('diamond')`, `topology(mySpec)`, or by package name with `{ name, strict }`.
 */
export default function topology(
  topology: string | TopologySpec | TopologyOptions = 'xnet',
  options: TopologyOptions = {},
): TopologyPlugin {
  if (typeof topology === 'object' && !isSpec(topology)) return withOptions(topology)
  const spec = findTopology(topology)
  const name = '@xcluster/ovl-network-topology'
  return {
    name,
    coreRange: '^0.1.0',
    provides: ['topology'],
    topology: spec,
    configure: (user) => {
      const { defaults, issues } = topologyDefaults(spec, user)
      return { defaults, issues: options.strict === false ? [] : issues }
    },
    apply(cluster) {
      // Checked here, before any hook runs, so a broken plan never reaches the host.
      const plans = clusterPlans(spec, cluster.config, options)
      // VMs that scaleout adds beyond the config's count get their plan too, as their number gives it.
      const withAdded = (context: ClusterContext) => [
        ...plans,
        ...context.nodes
          .filter((node) => node.id < 201 && !plans.some((plan) => plan.id === node.id))
          .map((node) => planNode(spec, cluster.config, clusterIds(cluster.config), node.id, options)),
      ]
      cluster.hooks.overlays.tapPromise(name, async (overlays, context) => [
        ...overlays,
        topologyOverlay(spec, context, withAdded(context)),
      ])
      cluster.hooks.picture.tapPromise(name, async (picture) => topologyPicture(picture, spec.name, plans))
    },
  }
}

function withOptions({ name = 'xnet', ...options }: TopologyOptions): TopologyPlugin {
  return topology(name, options)
}
