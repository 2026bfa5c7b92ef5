import {
  type ConfigIssue,
  type ConfigLayer,
  type NodeOverride,
  ROLE_RANGES,
  type Role,
  type UserConfig,
} from '@xcluster/core'
import { groupIds, type TopologySpec } from './spec.js'

/** A user's nets fit when they start with the topology's (more nets may follow, for the user's own use). */
const fits = (given: number[] | undefined, needed: number[]) =>
  given === undefined || needed.every((net, k) => given[k] === net)
const CORE_DEFAULT_COUNTS = { nodes: 4, routers: 2, testers: 0 }

/**
 * The settings a topology needs, as defaults under the user's; an explicit user setting that
 * contradicts it is an error that says so, never silently overwritten.
 */
export function topologyDefaults(
  topology: TopologySpec,
  user: ConfigLayer,
): { defaults: UserConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = []
  const given = user.config
  const option = (path: string) => user.origins[path] ?? path
  if (topology.routers !== undefined && given.routers !== undefined && given.routers !== topology.routers) {
    issues.push({
      option: option('routers'),
      value: given.routers,
      rule: `topology ${topology.name} needs exactly ${topology.routers} routers`,
    })
  }
  if (topology.minTesters !== undefined && given.testers !== undefined && given.testers < topology.minTesters) {
    issues.push({
      option: option('testers'),
      value: given.testers,
      rule: `topology ${topology.name} needs at least ${topology.minTesters} testers`,
    })
  }
  const nets = {} as Record<Role, number[]>
  for (const role of ['vm', 'router', 'tester'] as const) {
    nets[role] = topology.roles[role].nets
    if (!fits(given.nets?.[role], nets[role])) {
      issues.push({
        option: option(`nets.${role}`),
        value: given.nets?.[role],
        rule: `topology ${topology.name} attaches ${role}s to nets ${nets[role].join(',')} first`,
      })
    }
  }
  const counts = {
    nodes: given.nodes ?? CORE_DEFAULT_COUNTS.nodes,
    routers: given.routers ?? topology.routers ?? CORE_DEFAULT_COUNTS.routers,
    testers: given.testers ?? topology.testers ?? CORE_DEFAULT_COUNTS.testers,
  }
  const node: Record<number, NodeOverride> = {}
  for (const role of ['router', 'tester', 'vm'] as const) {
    const { mem, smp } = topology.roles[role]
    const [first] = ROLE_RANGES[role]
    const count = role === 'vm' ? counts.nodes : role === 'router' ? counts.routers : counts.testers
    for (let id = first; id < first + count; id++)
      if (mem || smp) node[id] = { ...(mem && { mem }), ...(smp && { smp }) }
  }
  for (const group of topology.groups ?? []) {
    for (const id of groupIds(group)) {
      if (group.nets && !fits(given.node?.[id]?.nets, group.nets)) {
        issues.push({
          option: option(`node.${id}.nets`),
          value: given.node?.[id]?.nets,
          rule: `topology ${topology.name} attaches node ${id} to nets ${group.nets.join(',')} first`,
        })
      }
      node[id] = {
        ...node[id],
        ...(group.nets && { nets: group.nets }),
        ...(group.mem && { mem: group.mem }),
        ...(group.smp && { smp: group.smp }),
      }
    }
  }
  const defaults: UserConfig = {
    nets,
    node,
    ...(topology.routers !== undefined && { routers: topology.routers }),
    ...(topology.testers !== undefined && { testers: topology.testers }),
  }
  return { defaults, issues }
}
