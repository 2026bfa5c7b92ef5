import { defineOperation } from '../contract/operation.js'
import { runningVmIds } from './completion-words.js'
import { nodeIdArg } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const rshOperation = defineOperation({
  name: 'rsh',
  output: `the remote command's output and exit status`,
  summary: SUMMARIES.rsh,
  usage: `ID [CMD...]`,
  help: `Runs CMD as root in VM ID over ssh with the workspace's key, and exits with its exit status.
The words of CMD are passed to the guest's shell as they are, e.g. \`xcluster rsh 1 'ip addr; hostname'\`.`,
  flags: {},
  stream: true,
  verbatimArgs: true,
  complete: (input, index) => (index === 0 ? runningVmIds(input) : []),
  async run(input) {
    const id = nodeIdArg(input.args, 'rsh')
    const cluster = await clusterOf(input)
    const command = input.args.slice(1)
    return input.host.attach('ssh', [
      ...(command.length === 0 ? ['-t'] : []),
      ...(await cluster.sshArgs(id)),
      ...command,
    ])
  },
})
