import { readFile, rename, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { NET_LIMITS } from '../config/settings.js'
import { XclusterError } from '../errors.js'
import { parseJsonAs } from '../schema/read-json.js'
import { ifPresent } from '../host/if-present.js'
import type { Node } from '../node/node.js'
import { netdevId } from '../qemu/nic.js'
import { vmFiles } from '../qemu/state-files.js'
import { qmpCommand } from '../vm/qmp.js'

/** The nets of a VM whose link is down (`xcluster link ID NET down`), as recorded beside it. */
export async function linksDown(stateDir: string, id: number): Promise<number[]> {
  const text = await ifPresent(readFile(vmFiles(stateDir, id).linksDown, 'utf8'))
  if (text === undefined) return []
  const netNumber = z.number().int().min(NET_LIMITS[0]).max(NET_LIMITS[1])
  return parseJsonAs(z.array(netNumber).max(256), text, vmFiles(stateDir, id).linksDown)
}

/**
 * Takes a VM's NIC on `net` down or up, as a pulled or plugged cable (QMP set_link on its netdev: the guest sees
 * NO-CARRIER), and records it for status.
 */
export async function setLink(stateDir: string, node: Node, net: number, up: boolean): Promise<void> {
  const nic = node.nics.find((n) => n.net === net)
  if (!nic)
    throw new XclusterError(
      `${node.hostname} has no NIC on net ${net}: its nets are ${node.nics.map((n) => n.net).join(',')}`,
    )
  const files = vmFiles(stateDir, node.id)
  await qmpCommand(files.qmp, 'set_link', { name: netdevId(nic), up })
  const others = (await linksDown(stateDir, node.id)).filter((n) => n !== net)
  const down = (up ? others : [...others, net]).sort((a, b) => a - b)
  await writeFile(`${files.linksDown}.next`, JSON.stringify(down))
  await rename(`${files.linksDown}.next`, files.linksDown)
}
