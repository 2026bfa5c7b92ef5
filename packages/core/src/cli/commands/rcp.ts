import { execa } from 'execa'
import { resolve } from 'node:path'
import { XclusterError } from '../../errors.js'
import type { Command } from '../command.js'
import { nodeIdArg } from '../node-ids.js'
import { remoteQuote, sshTarget } from '../remote-shell.js'
import { clusterOf } from '../session.js'

export const rcpCommand: Command = {
  name: 'rcp',
  summary: 'copy a file out of a VM',
  help: `Usage: xcluster rcp ID REMOTE LOCAL

Copies the file REMOTE of VM ID to LOCAL on the host (over ssh; no scp needed in the guest).`,
  flags: [],
  async run(input) {
    const id = nodeIdArg(input.args, 'rcp')
    const [remote, local] = input.args.slice(1)
    if (!remote || !local) throw new XclusterError('rcp needs a remote and a local path: `xcluster rcp 1 /var/log/messages ./messages`')
    const cluster = await clusterOf(input, 'rcp', this.flags)
    const result = await execa('ssh', [...(await sshTarget(cluster, input, id)), `cat ${remoteQuote(remote)}`], {
      stdout: { file: resolve(input.cwd, local) },
      stderr: 'pipe',
      reject: false,
    })
    if (result.exitCode !== 0) input.stderr(`xcluster rcp: ${result.stderr.trim() || `ssh exited with ${result.exitCode}`}\n`)
    return result.exitCode ?? 1
  },
}
