import type { Command } from '../command.js'
import { printStatus } from '../print-status.js'
import { clusterOf, contextOf } from '../session.js'

export const statusCommand: Command = {
  name: 'status',
  summary: 'which VMs run, with pid, role, nets and addresses',
  help: `Usage: xcluster status [--json]

Lists the cluster's VMs from the qemu processes themselves: running, or down when a VM died.
A VM that is down is reported, and the exit status is 1, until \`xcluster start\` boots it again
or \`xcluster stop\` removes it. --json prints an array of
{id, hostname, role, state, pid, nets, macs, ipv4, ipv6, mem, smp}.`,
  flags: ['json'],
  async run(input) {
    const cluster = await clusterOf(input, 'status', this.flags)
    const down = await printStatus(cluster, contextOf(cluster, input, [], undefined), input)
    return down > 0 ? 1 : 0
  },
}
