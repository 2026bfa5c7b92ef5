import { clusterVms } from '../../runtime/cluster-vms.js'
import { stopCluster } from '../../runtime/stop-nodes.js'
import type { Command } from '../command.js'
import { clusterOf, contextOf } from '../session.js'

export const stopCommand: Command = {
  name: 'stop',
  summary: 'end every VM of the cluster and remove what start made',
  help: `Usage: xcluster stop

Ends every VM of the cluster (SIGTERM, then SIGKILL after 5 s), including VMs added by
scaleout, and removes their disks, sockets, logs and the cdrom. Plugins take down the host
side of the nets. Nothing of the cluster is left running.`,
  flags: [],
  async run(input) {
    const cluster = await clusterOf(input, 'stop', this.flags)
    const nodes = (await clusterVms(cluster.config)).map((vm) => vm.node)
    await stopCluster(cluster, contextOf(cluster, input, nodes, undefined))
    input.stderr(`xcluster: stopped ${nodes.length} VM${nodes.length === 1 ? '' : 's'}\n`)
    return 0
  },
}
