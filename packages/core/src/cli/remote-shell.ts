import type { Cluster } from '../lifecycle/cluster.js'
import { sshKeyPath } from '../workspace/ssh-key.js'

const SSH_OPTIONS = [
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'LogLevel=ERROR',
  '-o',
  'BatchMode=yes',
]

/** The ssh words that reach root on a running node, through the endpoint its network backend names. */
export async function sshTarget(cluster: Cluster, id: number): Promise<string[]> {
  const endpoint = await cluster.endpointOf(await cluster.runningNode(id), 22)
  return [
    ...SSH_OPTIONS,
    '-i',
    sshKeyPath(cluster.config.workspace),
    '-p',
    String(endpoint.port),
    `root@${endpoint.host}`,
  ]
}

/** One word for the remote shell: single-quoted. */
export function remoteQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
