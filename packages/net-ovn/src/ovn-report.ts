import { type ClusterContext, type ReportLine, hostname } from '@xcluster/core'
import { ovnAnswers } from './daemons.js'
import { hostProblem } from './hosts.js'
import { clusterRows } from './logical.js'
import { hostLabel, readOvnState } from './ovn-state.js'

/** `status` lines of the cluster's OVN: its rows, where each VM runs, and each host that does not answer. */
export async function ovnReport(lines: ReportLine[], context: ClusterContext): Promise<ReportLine[]> {
  const state = await readOvnState(context.stateDir)
  if (!state) return lines
  if (!(await ovnAnswers(context.host, context.stateDir)))
    return [
      ...lines,
      {
        text: 'ovn: not running',
        problem: "the cluster's OVN daemons are gone: `xcluster start` starts them again, `xcluster stop` cleans up",
      },
    ]
  const { switches, ports } = await clusterRows(context.host, context.stateDir, state)
  const logical = `logical switches ${switches.sort().join(' ')}; ${ports.length} logical ports (northbound)`
  const placed = state.hosts.map((on) => {
    // A VM scaled in keeps its place for when it comes back, but is not shown.
    const vms = Object.entries(state.placement).filter(
      ([id, host]) => host === on.name && context.nodes.some((node) => node.id === Number(id)),
    )
    return `${on.name} (${on.ip}): ${vms.map(([id]) => hostname(Number(id))).join(' ') || 'no VM'}`
  })
  const hosts = placed.length > 0 ? [{ text: `ovn hosts: ${placed.join('; ')}` }] : []
  const silent = []
  for (const on of state.hosts) {
    const problem = await hostProblem(context.host, context.stateDir, on)
    if (problem)
      silent.push({
        text: `ovn host ${hostLabel(on)}: ${problem}`,
        problem: `its VMs are cut off: \`xcluster stop\` cleans up, then \`xcluster start\` again`,
      })
  }
  const central = state.central ? `central on ${state.central}; ` : ''
  return [...lines, { text: `ovn: ${state.cluster}: ${central}${logical}` }, ...hosts, ...silent]
}
