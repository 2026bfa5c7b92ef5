import type { Host, Node } from '@xcluster/core'
import { ipIn, linkNames } from './host-commands.js'
import { bridgeName, tapName } from './names.js'

/** A tap for every NIC of `nodes`, on its bridge and up; a leftover tap of the same name is replaced. */
export async function createTaps(host: Host, nodes: Node[], mtu: number): Promise<void> {
  const existing = new Set(await linkNames(host))
  for (const node of nodes) {
    for (const nic of node.nics) {
      const tap = tapName(nic.net, node.id)
      if (existing.has(tap)) await ipIn(host, undefined, 'link', 'del', tap)
      await ipIn(host, undefined, 'tuntap', 'add', 'dev', tap, 'mode', 'tap')
      await ipIn(host, undefined, 'link', 'set', 'dev', tap, 'mtu', String(mtu), 'master', bridgeName(nic.net), 'up')
    }
  }
}

/** Removes every tap of node `id` (xcbrN_tI for any N), whatever nets it had. */
export async function removeTaps(host: Host, id: number): Promise<string[]> {
  const taps = (await linkNames(host)).filter((name) => new RegExp(`^xcbr\\d+_t${id}$`).test(name))
  for (const tap of taps) await ipIn(host, undefined, 'link', 'del', tap)
  return taps
}
