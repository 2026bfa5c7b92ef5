import type { Cluster } from '../lifecycle/cluster.js'
import type { ClusterContext } from '../lifecycle/context.js'
import { clusterVms } from '../runtime/cluster-vms.js'
import type { CommandInput } from './command.js'
import { nodeJson } from './node-json.js'

/**
 * Prints which VMs run, with pid, role, nets and addresses, and the plugins' lines. A VM found
 * dead (killed, crashed) is shown as down, and keeps being shown until `start` or `stop` deals
 * with it; nothing is changed. Returns the number of VMs down.
 */
export async function printStatus(cluster: Cluster, context: ClusterContext, input: CommandInput): Promise<number> {
  const vms = await clusterVms(cluster.config)
  const down = vms.filter((vm) => vm.pid === undefined).length
  const rows = vms.map(({ node, pid }) => ({ ...nodeJson(node), state: pid === undefined ? 'down' : 'running', pid: pid ?? null }))
  if (input.options.json) {
    input.stdout(`${JSON.stringify(rows, null, 2)}\n`)
    return down
  }
  if (rows.length === 0) input.stdout(`no VMs in ${cluster.config.stateDir}\n`)
  for (const row of rows) {
    const pid = row.pid === null ? '-' : String(row.pid)
    input.stdout(`${row.hostname}  ${row.state.padEnd(7)}  pid ${pid.padEnd(7)}  ${row.role.padEnd(6)}  nets ${row.nets.join(',').padEnd(8)}  ${row.ipv4.join(' ')}\n`)
  }
  for (const line of await cluster.hooks.report.promise([], context)) input.stdout(`${line}\n`)
  if (down > 0) input.stderr(`xcluster: ${down} VM${down === 1 ? ' is' : 's are'} down: \`xcluster start\` boots ${down === 1 ? 'it' : 'them'} again, \`xcluster stop\` removes the cluster\n`)
  return down
}
