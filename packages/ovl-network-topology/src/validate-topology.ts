import { type ClusterConfig, type ConfigIssue, hostname, nodeOf } from '@xcluster/core'
import { setupOf } from './plan.js'
import type { TopologySpec, Via } from './spec.js'

const netsOf = (config: ClusterConfig, id: number) => nodeOf(config, id).nics.map((nic) => nic.net)

/** The nets a node has an address on: bridged nets through the bridge, `addressAs` nets as the net they mimic. */
function addressedNets(topology: TopologySpec, config: ClusterConfig, id: number): number[] {
  const node = nodeOf(config, id)
  const setup = setupOf(topology, node)
  const nets = node.nics
    .map((nic) => nic.net)
    .filter((net) => !setup.unaddressed?.includes(net) && !setup.bridge?.members.includes(net))
    .map((net) => setup.addressAs?.[net] ?? net)
  return setup.bridge ? [...nets, setup.bridge.net] : nets
}

/**
 * Every gateway a route names must be an address of a node of the cluster on that net, and the
 * node routing through it must be on that net too.
 */
export function topologyIssues(
  topology: TopologySpec,
  config: ClusterConfig,
  ids: number[],
): (ConfigIssue & { node: number })[] {
  const issues: (ConfigIssue & { node: number })[] = []
  const routers = ids.filter((id) => id >= 201 && id <= 220)
  for (const id of ids) {
    const node = nodeOf(config, id)
    const setup = setupOf(topology, node)
    const fail = (value: string, rule: string) =>
      issues.push({ option: `topology ${topology.name}, ${node.hostname}`, value, rule, node: id })
    const hop = (via: Via) => {
      if ('host' in via) return
      const [net, targets] = 'routers' in via ? [via.routers, routers] : [via.net, [via.node]]
      if (!addressedNets(topology, config, id).includes(net))
        fail(`via net ${net}`, `${node.hostname} is not on net ${net}`)
      for (const target of targets) {
        const gateway = `192.168.${net}.${target}`
        if (!ids.includes(target)) fail(gateway, `the gateway ${hostname(target)} is not in the cluster`)
        else if (!addressedNets(topology, config, target).includes(net))
          fail(gateway, `the gateway ${hostname(target)} has no address on net ${net}`)
      }
    }
    for (const route of setup.routes ?? []) [route.via].flat().forEach(hop)
    for (const rule of setup.rules ?? [])
      if (!netsOf(config, id).includes(rule.net))
        fail(`rule net ${rule.net}`, `${node.hostname} is not on net ${rule.net}`)
  }
  return issues
}

/** A user's own topology must at least have the shape of one. */
export function specIssues(topology: TopologySpec): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  if (typeof topology.name !== 'string' || topology.name === '')
    issues.push({ option: 'topology.name', value: topology.name, rule: 'must be a non-empty string' })
  for (const role of ['vm', 'router', 'tester'] as const) {
    const spec = topology.roles?.[role]
    if (!spec || !Array.isArray(spec.nets) || spec.nets[0] !== 0) {
      issues.push({
        option: `topology ${topology.name}, roles.${role}`,
        value: spec?.nets,
        rule: 'every role needs nets starting with net 0, and a setup',
      })
    }
  }
  return issues
}
