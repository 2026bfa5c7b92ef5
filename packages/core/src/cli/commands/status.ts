import type { Command } from '../command.js'
import { printStatus } from '../print-status.js'
import { clusterOf } from '../session.js'

export const statusCommand: Command = {
  name: 'status',
  summary: 'which VMs run, with pid, role, nets and addresses',
  help: `Usage: xcluster status [--json]

Lists the cluster's VMs as its state directory records them, each running or down (its
process is gone). A VM that is down is reported, and the exit status is 1, until
\`xcluster start --no-restart\` boots it again (or \`xcluster start\` restarts the whole cluster) or
\`xcluster stop\` removes it; status changes nothing.
--json prints an array of {id, hostname, role, state, pid, nets, macs, ipv4, ipv6, mem, smp}.`,
  flags: ['json'],
  async run(input) {
    const cluster = await clusterOf(input, 'status', this.flags)
    return printStatus(await cluster.status(), cluster.config.stateDir, input) > 0 ? 1 : 0
  },
}
