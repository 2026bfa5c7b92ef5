import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Host } from '../host/host.js'

/** The workspace's own ssh key: its public half goes into the image, the private half is used by rsh. */
export interface SshKey {
  privateKey: string
  publicKey: string
}

export function sshKeyPath(workspace: string): string {
  return join(workspace, 'ssh', 'id_ed25519')
}

/** Makes the key on first use. */
export async function ensureSshKey(host: Host, workspace: string): Promise<SshKey> {
  const privateKey = sshKeyPath(workspace)
  const read = () => readFile(`${privateKey}.pub`, 'utf8')
  const existing = await read().catch(() => undefined)
  if (existing) return { privateKey, publicKey: existing }
  await mkdir(join(workspace, 'ssh'), { recursive: true, mode: 0o700 })
  await host.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'xcluster', '-f', privateKey])
  return { privateKey, publicKey: await read() }
}
