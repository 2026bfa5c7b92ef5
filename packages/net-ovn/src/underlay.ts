import type { Host } from '@xcluster/core'
import { linkExists, vsctl } from '@xcluster/net-ovs'

/** The underlay of the hosts: a Linux bridge in the cluster netns, 10.250.0.0/24, of the plugin's underlayMtu. */
export const UNDERLAY = 'xcovnul'
/** The cluster netns' address on the underlay, where its chassis' Geneve tunnels end. */
export const HOME_IP = '10.250.0.254'
/** The underlay address of the K-th host. */
export const hostIp = (index: number) => `10.250.0.${index}`

/** Puts an Open vSwitch bridge br-phy (user-space datapath) on `port`, holding the underlay address. */
export async function underlayBridge(there: Pick<Host, 'run'>, ovs: string, port: string, ip: string, mtu: number) {
  const run = (file: string, args: string[]) => there.run(file, args)
  const vs = (...args: string[]) => run('ovs-vsctl', [`--db=${ovs}`, '--timeout=10', ...args])
  await vs('--may-exist', 'add-br', 'br-phy', '--', 'set', 'bridge', 'br-phy', 'datapath_type=netdev')
  await vs('--may-exist', 'add-port', 'br-phy', port, '--', 'set', 'interface', port, `mtu_request=${mtu}`)
  await vs('set', 'interface', 'br-phy', `mtu_request=${mtu}`)
  await run('ip', ['link', 'set', port, 'up'])
  await run('ip', ['link', 'set', 'br-phy', 'up'])
  await run('ip', ['addr', 'replace', `${ip}/24`, 'dev', 'br-phy'])
  // The user-space datapath drops partial checksums from veths: they are made before a packet leaves.
  await run('ethtool', ['-K', port, 'tx', 'off'])
  await run('ethtool', ['-K', 'br-phy', 'tx', 'off'])
}

/**
 * Deletes a veth end that may be going: the kernel destroys the pair a while after the namespace of the other end
 * goes (a simulated host's, with its last daemon).
 */
export async function removeLink(host: Host, link: string): Promise<void> {
  if (!(await linkExists(host, link))) return
  await host.run('ip', ['link', 'del', link]).catch(async (error) => {
    if (await linkExists(host, link)) throw error
  })
}

/** The underlay bridge and a veth `<name>u` on it; returns the end to move into the host, `<name>p`. */
export async function underlayLink(host: Host, name: string, mtu: number): Promise<string> {
  if (!(await linkExists(host, UNDERLAY))) {
    await host.run('ip', ['link', 'add', UNDERLAY, 'type', 'bridge'])
    await host.run('ip', ['link', 'set', UNDERLAY, 'mtu', String(mtu), 'up'])
  }
  const [outer, inner] = [`${name}u`, `${name}p`]
  await removeLink(host, outer)
  await host.run('ip', [
    'link',
    'add',
    outer,
    'mtu',
    String(mtu),
    'type',
    'veth',
    'peer',
    'name',
    inner,
    'mtu',
    String(mtu),
  ])
  await host.run('ip', ['link', 'set', outer, 'master', UNDERLAY, 'up'])
  await host.run('ethtool', ['-K', outer, 'tx', 'off'])
  return inner
}

/** Readies the cluster netns for hosts: the underlay bridge, and its end of it on br-phy at HOME_IP. */
export async function spanHosts(host: Host, ovs: string, mtu: number): Promise<void> {
  const port = await underlayLink(host, 'xcovc', mtu)
  await underlayBridge(host, ovs, port, HOME_IP, mtu)
}

/** Removes the underlay and the central's end of it. */
export async function removeUnderlay(host: Host, ovs: string | undefined): Promise<void> {
  if (ovs) await vsctl(host, { db: ovs }, '--if-exists', 'del-br', 'br-phy').catch(() => undefined)
  for (const link of ['xcovcu', UNDERLAY]) if (await linkExists(host, link)) await host.run('ip', ['link', 'del', link])
}
