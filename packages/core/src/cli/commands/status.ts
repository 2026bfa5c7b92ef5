import { defineCommand } from '../command.js'
import { PICTURE_FLAGS, printPicture, wantsPicture } from '../print-picture.js'
import { printStatus, vmStateName } from '../print-status.js'
import { clusterOf } from '../cluster-of.js'

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'which VMs run, with pid, role, nets and addresses',
  usage: `[--json | --svg | --dot] [-o FILE]`,
  help: `Lists the cluster's VMs as its state directory records them, each running or down (its
process is gone). A VM that is down is reported, and the exit status is 1, until
\`xcluster start --no-restart\` boots it again (or \`xcluster start\` restarts the whole cluster) or
\`xcluster stop\` removes it; status changes nothing.
A VM whose emulation is stopped (\`xcluster stop-vm\`) is paused.
The drawing (--svg, --dot) is of the running cluster, each VM with its state.`,
  flags: {
    json: {
      type: 'boolean',
      help: 'an array of {id, hostname, role, state, pid, nets, macs, ipv4, ipv6, mem, smp, kernel}',
    },
    ...PICTURE_FLAGS,
  },
  async run(input) {
    const cluster = await clusterOf(input)
    if (wantsPicture(input)) {
      const { vms } = await cluster.status()
      const states = new Map(vms.map((vm) => [vm.node.id, vmStateName(vm.pid, vm.paused)]))
      await printPicture(
        input,
        await cluster.picture(
          `xcluster: the cluster in ${cluster.config.stateDir}`,
          vms.map((vm) => vm.node),
          states,
        ),
      )
      return 0
    }
    return printStatus(await cluster.status(), cluster.config.stateDir, input) > 0 ? 1 : 0
  },
})
