import type { Cluster } from '../lifecycle/cluster.js'
import type { ClusterContext } from '../lifecycle/context.js'
import { clusterVms } from '../runtime/cluster-vms.js'
import { stopNodes } from '../runtime/stop-nodes.js'
import type { CommandInput } from './command.js'
import { nodeJson } from './node-json.js'

/**
 * Prints which VMs run, with pid, role, nets and addresses. A VM found dead (killed, crashed) is
 * shown as down once, and what it left behind is removed.
 */
export async function printStatus(cluster: Cluster, context: ClusterContext, input: CommandInput): Promise<void> {
  const vms = await clusterVms(cluster.config)
  const dead = vms.filter((vm) => vm.pid === undefined).map((vm) => vm.node)
  if (dead.length > 0) await stopNodes(cluster, { ...context, nodes: dead })
  const rows = vms.map(({ node, pid }) => ({ ...nodeJson(node), state: pid === undefined ? 'down' : 'running', pid: pid ?? null }))
  if (input.options.json) {
    input.stdout(`${JSON.stringify(rows, null, 2)}\n`)
    return
  }
  if (rows.length === 0) input.stdout(`no VMs in ${cluster.config.stateDir}\n`)
  for (const row of rows) {
    const pid = row.pid === null ? '-' : String(row.pid)
    input.stdout(`${row.hostname}  ${row.state.padEnd(7)}  pid ${pid.padEnd(7)}  ${row.role.padEnd(6)}  nets ${row.nets.join(',').padEnd(8)}  ${row.ipv4.join(' ')}\n`)
  }
  for (const line of await cluster.hooks.report.promise([], context)) input.stdout(`${line}\n`)
}
