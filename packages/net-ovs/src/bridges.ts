import { HOST_ID, type Host, ipv4Address, ipv6Address } from '@xcluster/core'
import { bridgeName } from '@xcluster/net-bridge'
import { linkExists } from './links.js'
import { type OvsState, vsctl } from './ovs-state.js'

/** The OVS bridge of net N: `xcovs<N>`. */
export function ovsBridgeName(net: number): string {
  return `xcovs${net}`
}

export interface BridgeSettings {
  mtu: number
  ipv6Prefix: string
  settings: string[]
}

/** The host side of net N: 192.168.N.250/24 and the prefix's .250/120. */
export function hostAddresses(net: number, ipv6Prefix: string): { v4: string; v6: string } {
  return { v4: `${ipv4Address(net, HOST_ID)}/24`, v6: `${ipv6Address(ipv6Prefix, net, HOST_ID)}/120` }
}

export async function addressesOf(host: Host, link: string): Promise<string> {
  return host.run('ip', ['-o', 'addr', 'show', 'dev', link]).catch(() => '')
}

/** Moves the host side of net N (192.168.N.250/24 and its IPv6 twin) from one link to another. */
export async function moveAddresses(
  host: Host,
  from: string,
  to: string,
  net: number,
  ipv6Prefix: string,
): Promise<void> {
  const { v4, v6 } = hostAddresses(net, ipv6Prefix)
  await host.run('ip', ['addr', 'del', v4, 'dev', from]).catch(() => undefined)
  await host.run('ip', ['-6', 'addr', 'del', v6, 'dev', from]).catch(() => undefined)
  // replace: a stop that failed part-way and runs again finds them there already.
  await host.run('ip', ['addr', 'replace', v4, 'dev', to])
  await host.run('ip', ['-6', 'addr', 'replace', v6, 'dev', to, 'nodad'])
}

/**
 * Makes `xcovsN` (when missing) with its datapath, settings and MTU, up, holding the host side of
 * net N. Where the cluster netns has the Linux bridge xcbrN with those addresses (nsadd makes
 * xcbr0-2), they move to the OVS bridge and `state.tookAddresses` says so, to give them back at stop.
 */
export async function ensureOvsBridge(
  host: Host,
  state: OvsState,
  net: number,
  settings: BridgeSettings,
): Promise<void> {
  if (state.bridges.includes(net)) return
  const name = ovsBridgeName(net)
  const linux = bridgeName(net)
  await vsctl(
    host,
    state,
    '--may-exist',
    'add-br',
    name,
    '--',
    'set',
    'bridge',
    name,
    `datapath_type=${state.datapath}`,
    ...settings.settings,
  )
  await vsctl(host, state, 'set', 'interface', name, `mtu_request=${settings.mtu}`)
  state.bridges.push(net)
  await host.run('ip', ['link', 'set', name, 'up'])
  // Through the user-space datapath, TCP stalls unless checksums are made before a packet leaves.
  if (state.datapath === 'netdev') await host.run('ethtool', ['-K', name, 'tx', 'off'])
  const { v4 } = hostAddresses(net, settings.ipv6Prefix)
  if ((await addressesOf(host, linux)).includes(` ${v4} `) && !state.tookAddresses.includes(net))
    state.tookAddresses.push(net)
  await moveAddresses(host, linux, name, net, settings.ipv6Prefix)
}

/** Removes the cluster's OVS bridges and gives the Linux bridges that still exist their addresses back. */
export async function removeOvsBridges(host: Host, state: OvsState, ipv6Prefix: string): Promise<void> {
  for (const net of state.bridges) await vsctl(host, state, '--if-exists', 'del-br', ovsBridgeName(net))
  for (const net of state.tookAddresses) {
    if (await linkExists(host, bridgeName(net)))
      await moveAddresses(host, ovsBridgeName(net), bridgeName(net), net, ipv6Prefix)
  }
}
