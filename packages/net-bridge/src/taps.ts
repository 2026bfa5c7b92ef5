import { ipIn, linkNames } from './host-commands.js'
import { bridgeName, tapName } from './names.js'

/** A tap for node `id` on `net`, on its bridge and up; a leftover tap of that name is replaced. */
export async function createTap(net: number, id: number, mtu: number): Promise<void> {
  const tap = tapName(net, id)
  if ((await linkNames()).includes(tap)) await ipIn(undefined, 'link', 'del', tap)
  await ipIn(undefined, 'tuntap', 'add', 'dev', tap, 'mode', 'tap')
  await ipIn(undefined, 'link', 'set', 'dev', tap, 'mtu', String(mtu), 'master', bridgeName(net), 'up')
}

/** Removes every tap of node `id` (xcbrN_tI for any N), whatever nets it had. */
export async function removeTaps(id: number): Promise<string[]> {
  const taps = (await linkNames()).filter((name) => new RegExp(`^xcbr\\d+_t${id}$`).test(name))
  for (const tap of taps) await ipIn(undefined, 'link', 'del', tap)
  return taps
}
