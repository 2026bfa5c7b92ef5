import type { Cluster } from '../lifecycle/cluster.js'
import { XclusterError } from '../errors.js'
import { nodeOfProcess } from '../runtime/node-of-process.js'
import { runningVms } from '../vm/processes.js'
import { sshKeyPath } from '../workspace/ssh-key.js'
import { hostname } from '../node/addressing.js'
import type { CommandInput } from './command.js'
import { contextOf } from './session.js'

const SSH_OPTIONS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes']

/** The ssh words that reach root on a running node, through the endpoint its network backend names. */
export async function sshTarget(cluster: Cluster, input: CommandInput, id: number): Promise<string[]> {
  const vm = (await runningVms(cluster.config.stateDir)).get(id)
  if (!vm) throw new XclusterError(`${hostname(id)} is not running (see \`xcluster status\`)`)
  const node = nodeOfProcess(cluster.config, id, vm.argv)
  const endpoint = await cluster.endpointOf(node, 22, contextOf(cluster, input, [node], undefined))
  return [...SSH_OPTIONS, '-i', sshKeyPath(cluster.config.workspace), '-p', String(endpoint.port), `root@${endpoint.host}`]
}

/** One word for the remote shell: single-quoted. */
export function remoteQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
