import { type HostFacts, type UserConfig, resolveConfig } from '@xcluster/core'
import { type PlanOptions, clusterPlans, findTopology, renderPlan, topology } from '../src/index.js'

const host: HostFacts = { user: 'alice', home: '/home/alice', netns: undefined, kvm: false, cpus: 2, env: {} }

/** The config of a cluster under a topology, resolved as the CLI does. */
export function configWith(
  name: string,
  file: UserConfig = {},
  options: Record<string, string> = {},
  plan: PlanOptions = {},
) {
  return resolveConfig({ file, plugins: [topology(name, plan)], options }, host)
}

/** Each node's plan lines by hostname. */
export function planLines(name: string, file: UserConfig = {}, plan: PlanOptions = {}): Record<string, string[]> {
  const config = configWith(name, file, {}, plan)
  return Object.fromEntries(
    clusterPlans(findTopology(name), config, plan).map((p) => [
      p.hostname,
      renderPlan(p, config.mtu).trim().split('\n'),
    ]),
  )
}
