import { defineOperation } from '../contract/operation.js'
import { type Drawing, PICTURE_FLAGS, drawPicture, presentDrawing, wantsPicture } from './picture-output.js'
import { type StatusReport, presentStatus, statusReport, vmStateName } from './status-rows.js'
import { clusterOf } from './cluster-of.js'
import { absentCluster } from './absent-cluster.js'
import { SUMMARIES } from './summaries.js'

export const statusOperation = defineOperation({
  name: 'status',
  output:
    'the VMs, each {id, hostname, role, state, pid, nets, macs, ipv4, ipv6, mem, smp, linksDown, kernel, template' +
    ' (of a clone), hostLinks (the tap of each NIC, or null)}; or the drawing',
  summary: SUMMARIES.status,
  usage: `[--json | --svg | --dot] [-o FILE]`,
  help: `Lists the cluster's VMs as its state directory records them, each running or down (its
process is gone). A VM that is down is reported, and the exit status is 1, until
\`xcluster start --no-restart\` boots it again (or \`xcluster start\` restarts the whole cluster) or
\`xcluster stop\` removes it; status changes nothing.
A VM whose emulation is stopped (\`xcluster stop-vm\`) is paused.
The drawing (--svg, --dot) is of the running cluster, each VM with its state.`,
  flags: {
    ...PICTURE_FLAGS,
  },
  async run(input): Promise<{ status: StatusReport } | { drawing: Drawing }> {
    const absent = wantsPicture(input) ? undefined : await absentCluster(input)
    if (absent !== undefined) return { status: statusReport({ vms: [], report: [], kernels: new Map() }, absent) }
    const cluster = await clusterOf(input)
    const status = await cluster.status()
    if (!wantsPicture(input)) return { status: statusReport(status, cluster.config.stateDir) }
    const states = new Map(status.vms.map((vm) => [vm.node.id, vmStateName(vm.pid, vm.paused)]))
    const picture = await cluster.picture(
      `xcluster: the cluster in ${cluster.config.stateDir}`,
      status.vms.map((vm) => vm.node),
      states,
    )
    return { drawing: await drawPicture(input, picture) }
  },
  present: (result) => ('drawing' in result ? presentDrawing(result.drawing) : presentStatus(result.status)),
  json: (result) => ('drawing' in result ? result.drawing : result.status.vms),
})
