import { defineOperation } from '../contract/operation.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const stopOperation = defineOperation({
  name: 'stop',
  output: '`{ stopped }`: the hostnames ended',
  summary: SUMMARIES.stop,
  usage: ``,
  help: `Ends every VM of the cluster (SIGTERM, then SIGKILL after 5 s), including VMs added by
scaleout, and removes their disks, sockets, logs and the cdrom. Plugins take down the host
side of the nets. Nothing of the cluster is left running.`,
  flags: {},
  async run(input) {
    const { stopped } = await (await clusterOf(input)).stop()
    return { stopped: stopped.map((node) => node.hostname) }
  },
  present: ({ stopped }) => ({
    text: '',
    notes: [`stopped ${stopped.length} VM${stopped.length === 1 ? '' : 's'}`],
  }),
})
