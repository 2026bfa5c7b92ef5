import { runningVmIds } from './completion-words.js'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { CommandFailed } from '../host/host.js'
import { writeUserFile } from '../host/user-file.js'
import { defineOperation } from '../contract/operation.js'
import { nodeIdArg } from './node-ids.js'
import { remoteQuote } from '../vm/ssh.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const rcpOperation = defineOperation({
  name: 'rcp',
  output: `ssh's errors as they are`,
  summary: SUMMARIES.rcp,
  usage: `ID REMOTE LOCAL`,
  help: `Copies the file REMOTE of VM ID to LOCAL on the host (over ssh; no scp needed in the guest).
LOCAL is replaced only once the whole file has come; a failed copy leaves it as it was.`,
  flags: {},
  complete: (input, index) => (index === 0 ? runningVmIds(input) : []),
  // ssh's own errors are passed on as they are, with its exit status.
  stream: true,
  async run(input) {
    const id = nodeIdArg(input.args, 'rcp')
    const [remote, local] = input.args.slice(1)
    if (!remote || !local)
      throw new XclusterError('rcp needs a remote and a local path: `xcluster rcp 1 /var/log/messages ./messages`')
    const cluster = await clusterOf(input)
    try {
      const target = await cluster.sshArgs(id)
      await writeUserFile(
        resolve(input.cwd, local),
        async (file) =>
          void (await input.host.run('ssh', [...target, `cat ${remoteQuote(remote)}`], { stdoutFd: file.fd })),
      )
      return 0
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error
      input.stderr(`xcluster rcp: ${error.stderr.trim() || `ssh exited with ${error.exitCode}`}\n`)
      return error.exitCode ?? 1
    }
  },
})
