import { defineOperation } from '@xcluster/core/adapter'
import { cliVersion } from './cli-version.js'
import { CLI_SUMMARIES } from './summaries.js'

/** `xcluster mcp`: the cluster's operations as tools of an agent, over the Model Context Protocol on stdio. */
export const mcpOperation = defineOperation({
  name: 'mcp',
  output: 'the Model Context Protocol (JSON-RPC) on standard input and output, until the client closes it',
  summary: CLI_SUMMARIES.mcp,
  usage: '',
  help: `Serves up to 15 of xcluster's operations as tools of the Model Context Protocol on standard input and
output, for an agent's client to start (command: xcluster, args: ["mcp"], in the project's directory):
status, env, start, stop, scaleout, scalein, reset-vm, link, netem, rsh, rcp, tcpdump, snapshot, faults
and, when its package is installed, topology. A tool takes { args, flags, settings }: the words of the
command, its flags by name and cluster settings as the command line spells them ({ "nvm": "2" }), read
and checked as the command line reads them. It answers with the command's output (a result as its JSON),
at most 4000 characters, and is an error when the command fails. start, stop, scalein, reset-vm and
snapshot are marked destructive; vm (a console) is no tool, and rsh needs a command.`,
  flags: {},
  stream: true,
  cliOnly: true,
  async run(input) {
    await (await import('./mcp/mcp-server.js')).serveMcp(input, cliVersion())
    return 0
  },
})
