import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { createConnection } from 'node:net'
import type { Host } from '../host/host.js'
import type { Node } from '../node/node.js'
import { XclusterError } from '../errors.js'

/**
 * What a clone is told on its port org.xcluster.identity (the guest's etc/clone-identity.sh reads it): each NIC's
 * MAC (eth0 in NIC order), the time, randomness of the host's (for the guest's pool, and the addresses of the
 * interfaces its kernel addressed at random), and an ed25519 host key made on the host for this VM, so that no two
 * clones share keys or what their template drew at random.
 */
export async function identityLines(host: Host, node: Node, keyFile: string): Promise<string> {
  await rm(keyFile, { force: true })
  await host.run('dropbearkey', ['-t', 'ed25519', '-f', keyFile])
  const key = await readFile(keyFile)
  await rm(keyFile, { force: true })
  const now = new Date().toISOString().replace('T', ' ').slice(0, 19)
  return [
    ...node.nics.map((nic, k) => `mac eth${k} ${nic.mac}`),
    `date ${now}`,
    `seed ${randomBytes(64).toString('hex')}`,
    `hostkey ${key.toString('base64')}`,
    'end',
    '',
  ].join('\n')
}

/**
 * Writes `lines` to the clone's identity socket (qemu's end of the guest's port); returns how to close it, once the
 * guest is up (a port whose host end closes reads as empty in the guest).
 */
export async function tellIdentity(socket: string, lines: string, what: string): Promise<() => void> {
  return new Promise((done, fail) => {
    const connection = createConnection(socket)
    connection.once('error', (error) => fail(new XclusterError(`${what}: telling it who it is: ${error.message}`)))
    connection.once('connect', () => connection.write(lines, () => done(() => connection.destroy())))
  })
}
