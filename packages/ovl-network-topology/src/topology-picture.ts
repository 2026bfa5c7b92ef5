import type { NetworkPicture } from '@xcluster/core'
import type { NodePlan } from './plan.js'

/** The picture with each planned node's NICs labelled by its plan: its addresses, its bridge, or none. */
export function topologyPicture(picture: NetworkPicture, topologyName: string, plans: NodePlan[]): NetworkPicture {
  const planOf = new Map(plans.map((plan) => [plan.id, plan]))
  return {
    ...picture,
    title: `${picture.title} (topology ${topologyName})`,
    nodes: picture.nodes.map((node) => {
      const plan = planOf.get(node.id)
      if (!plan) return node
      return {
        ...node,
        links: node.links.map((link) => {
          if (link.net === 0) return link
          if (plan.bridge?.members.includes(link.ifname))
            return { ...link, addresses: [`in ${plan.bridge.name}`, ...plan.bridge.addresses] }
          return { ...link, addresses: plan.interfaces.find((i) => i.ifname === link.ifname)?.addresses ?? [] }
        }),
      }
    }),
  }
}
