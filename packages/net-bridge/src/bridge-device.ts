import { HOST_ID, ipv4Address, ipv6Address, type Host } from '@xcluster/core'
import { ipIn, linkNames } from './host-commands.js'
import { bridgeName } from './names.js'

export interface BridgeSettings {
  mtu: number
  ipv6Prefix: string
}

/**
 * Makes `xcbrN` with 192.168.N.250/24, the prefix's .250 /120, LLDP forwarded (group_fwd_mask
 * 0x4000) and the mtu; an existing bridge is kept as it is. Says whether it made one.
 */
export async function ensureBridge(
  host: Host,
  net: number,
  settings: BridgeSettings,
  netns?: string,
): Promise<boolean> {
  const name = bridgeName(net)
  if ((await linkNames(host, netns)).includes(name)) return false
  await ipIn(
    host,
    netns,
    'link',
    'add',
    'name',
    name,
    'mtu',
    String(settings.mtu),
    'type',
    'bridge',
    'group_fwd_mask',
    '0x4000',
  )
  await ipIn(host, netns, 'link', 'set', name, 'up')
  await ipIn(host, netns, 'addr', 'add', `${ipv4Address(net, HOST_ID)}/24`, 'dev', name)
  await ipIn(
    host,
    netns,
    '-6',
    'addr',
    'add',
    `${ipv6Address(settings.ipv6Prefix, net, HOST_ID)}/120`,
    'dev',
    name,
    'nodad',
  )
  return true
}
