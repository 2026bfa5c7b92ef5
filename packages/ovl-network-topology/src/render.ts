import type { NodePlan } from './plan.js'

/** A node's plan as the lines `apply-topology` reads, in the order they must run. */
export function renderPlan(plan: NodePlan, mtu: number): string {
  const lines: string[] = []
  if (plan.forward) lines.push('forward')
  const devices = [...plan.interfaces.map((i) => i.ifname), ...(plan.bridge?.members ?? [])]
  if (mtu !== 1500) for (const dev of devices) lines.push(`mtu ${dev} ${mtu}`)
  if (plan.bridge) {
    lines.push(`bridge ${plan.bridge.name} ${plan.bridge.mac} ${plan.bridge.members.join(' ')}`)
    for (const address of plan.bridge.addresses) lines.push(`addr ${plan.bridge.name} ${address}`)
  }
  for (const iface of plan.interfaces)
    for (const address of iface.addresses) lines.push(`addr ${iface.ifname} ${address}`)
  for (const rule of plan.rules) lines.push(`rule ${rule.ifname} ${rule.table}`)
  for (const route of plan.routes)
    lines.push(`route ${route.table ? `table ${route.table} ` : ''}${route.to} ${route.via.join(' ')}`)
  for (const source of plan.nat) lines.push(`nat ${source}`)
  return `${lines.join('\n')}\n`
}

/** /etc/hosts naming every node on its cluster-net address (its first addressed net above 0), v4 and v6. */
export function topologyHosts(plans: NodePlan[], head: string): string {
  const lines = [head.trimEnd()]
  for (const plan of plans) {
    const addresses = plan.bridge?.addresses ?? plan.interfaces[0]?.addresses ?? []
    for (const cidr of addresses) lines.push(`${cidr.split('/')[0]} ${plan.hostname}`)
  }
  return `${lines.join('\n')}\n`
}
