import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Host, type HostEntry, XclusterError, ifPresent } from '@xcluster/core'
import { linkExists, vsctl } from '@xcluster/net-ovs'
import { appctl, controlSocket, daemonFiles, endDaemon, pidOf, silentDaemons } from './daemons.js'
import { ovnDir } from './ovn-state.js'

/** The underlay of the hosts: a Linux bridge in the cluster netns, 10.250.0.0/24, of the plugin's underlayMtu. */
export const UNDERLAY = 'xcovnul'
export const CENTRAL_IP = '10.250.0.254'
const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'

/**
 * A host of the cluster: a chassis of its OVN with an Open vSwitch and ovn-controller of its own, in a network
 * namespace: one it makes (`sim`, held by its own ovsdb-server: no name in /run/netns to lose) or the user's
 * (`netns:NAME`).
 */
export interface OvnHost extends HostEntry {
  /** Its underlay address, where Geneve tunnels end. */
  ip: string
  /** Its network namespace, as nsenter takes it: /proc/PID/ns/net of its ovsdb-server, or /run/netns/NAME. */
  netns: string
  /** Its Open vSwitch database. */
  ovs: string
  /** The cluster netns' end of its underlay veth. */
  link: string
}

export const hostDir = (stateDir: string, name: string) => join(ovnDir(stateDir), name)

/** How a host is reached, as errors name it: `h2 (netns:lab2)`. */
export const hostLabel = (entry: Pick<HostEntry, 'name' | 'via'>) => `${entry.name} (${entry.via})`

/** The network namespace of a `netns:NAME` host. */
const userNetns = (via: string) => `/run/netns/${via.slice('netns:'.length)}`

/** Runs a program in a host's network namespace. */
export function inHost(
  host: Host,
  where: Pick<OvnHost, 'netns'>,
  file: string,
  args: string[],
  env?: Record<string, string>,
) {
  return host.run('nsenter', [`--net=${where.netns}`, file, ...args], env ? { env } : {})
}

/** Refuses, before anything is made, hosts that cannot be reached: a `netns:NAME` that is not there. */
export async function checkHostsReachable(entries: readonly HostEntry[]): Promise<void> {
  const missing = []
  for (const entry of entries) {
    if (entry.via === 'sim') continue
    const found = await ifPresent(stat(userNetns(entry.via)))
    if (!found) missing.push(`${hostLabel(entry)}: no ${userNetns(entry.via)} (\`ip netns add NAME\` makes one)`)
  }
  if (missing.length > 0) throw new XclusterError(`hosts that cannot be reached:\n  ${missing.join('\n  ')}`)
}

/** Puts an Open vSwitch bridge br-phy (user-space datapath) on `port`, holding the underlay address. */
export async function underlayBridge(
  run: (file: string, args: string[]) => Promise<string>,
  ovs: string,
  port: string,
  ip: string,
  mtu: number,
) {
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
async function removeLink(host: Host, link: string): Promise<void> {
  if (!(await linkExists(host, link))) return
  await host.run('ip', ['link', 'del', link]).catch(async (error) => {
    if (await linkExists(host, link)) throw error
  })
}

/** The underlay bridge and a veth `<name>u` on it; returns the end to move into the host, `<name>p`. */
async function underlayLink(host: Host, name: string, mtu: number): Promise<string> {
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

/**
 * Readies the central for hosts: its end of the underlay on br-phy, its southbound database on the underlay
 * address, and its own chassis (the host ports of the nets) as a Geneve end there too.
 */
export async function spanHosts(host: Host, stateDir: string, ovs: string, mtu: number): Promise<void> {
  const port = await underlayLink(host, 'xcovc', mtu)
  await underlayBridge((file, args) => host.run(file, args), ovs, port, CENTRAL_IP, mtu)
  const sb = join(ovnDir(stateDir), 'sb.ctl')
  await host.run('ovs-appctl', ['-t', sb, 'ovsdb-server/add-remote', `ptcp:6642:${CENTRAL_IP}`])
  await vsctl(host, { db: ovs }, 'set', 'open', '.', `external-ids:ovn-encap-ip=${CENTRAL_IP}`)
}

/**
 * Makes host `entry` (index i: underlay 10.250.0.i) a chassis: its network namespace (a simulated host's own), its
 * Open vSwitch, its end of the underlay on br-phy, and its ovn-controller as a chassis of the central.
 */
export async function startHost(
  host: Host,
  stateDir: string,
  entry: HostEntry,
  index: number,
  cluster: string,
  mtu: number,
): Promise<OvnHost> {
  const { name } = entry
  const dir = hostDir(stateDir, name)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const env = { PATH: host.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', OVS_RUNDIR: dir, OVN_RUNDIR: dir }
  const ovs = `unix:${join(dir, 'db.sock')}`
  await host.run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA])
  const server = ['ovsdb-server', join(dir, 'conf.db'), `--remote=punix:${join(dir, 'db.sock')}`]
  // A simulated host's network namespace begins with its database server, which holds it.
  const enter = entry.via === 'sim' ? ['--net'] : [`--net=${userNetns(entry.via)}`]
  await host.run(
    entry.via === 'sim' ? 'unshare' : 'nsenter',
    [...enter, ...server, ...daemonFiles(dir, 'ovsdb-server')],
    {
      env,
    },
  )
  const netns = entry.via === 'sim' ? `/proc/${await pidOf(dir, 'ovsdb-server')}/ns/net` : userNetns(entry.via)
  const sim: OvnHost = { ...entry, ip: `10.250.0.${index}`, netns, ovs, link: `xcov${index}u` }
  const run = (file: string, args: string[]) => inHost(host, sim, file, args, env)
  await run('ip', ['link', 'set', 'lo', 'up'])
  await run('ovs-vsctl', [`--db=${ovs}`, '--no-wait', 'init'])
  await run('ovs-vswitchd', [ovs, ...daemonFiles(dir, 'ovs-vswitchd')])
  const port = await underlayLink(host, sim.link.slice(0, -1), mtu)
  await host.run('ip', ['link', 'set', port, 'netns', String(await pidOf(dir, 'ovsdb-server'))])
  await underlayBridge(run, ovs, port, sim.ip, mtu)
  await run('ovs-vsctl', [
    `--db=${ovs}`,
    'set',
    'open',
    '.',
    `external-ids:system-id=${cluster}-${name}`,
    `external-ids:ovn-remote=tcp:${CENTRAL_IP}:6642`,
    'external-ids:ovn-encap-type=geneve',
    `external-ids:ovn-encap-ip=${sim.ip}`,
    'external-ids:ovn-bridge-datapath-type=netdev',
  ])
  await run('ovn-controller', [ovs, ...daemonFiles(dir, 'ovn-controller')])
  for (let waited = 0; !(await vsctl(host, { db: ovs }, 'list-br')).split('\n').includes('br-int'); waited++) {
    if (waited > 100) throw new XclusterError(`host ${hostLabel(entry)}: ovn-controller made no br-int within 10 s`)
    await sleep(100)
  }
  return sim
}

/** The daemons of a host, the one that makes the chassis first. */
export const HOST_DAEMONS = ['ovn-controller', 'ovs-vswitchd', 'ovsdb-server'] as const

/**
 * Ends a host's daemons and removes its files. A simulated host's namespace goes with the last of them; in a user's
 * namespace Open vSwitch takes its bridges with it (`exit --cleanup`), and the underlay's end goes with its veth.
 */
export async function stopHost(host: Host, stateDir: string, which: Pick<OvnHost, 'name' | 'link'>): Promise<void> {
  const dir = hostDir(stateDir, which.name)
  for (const daemon of HOST_DAEMONS)
    await endDaemon(host, dir, daemon, appctl(daemon), await controlSocket(dir, daemon))
  await removeLink(host, which.link)
  await rm(dir, { recursive: true, force: true })
}

/** The daemons of a host that do not answer on their control sockets. */
export const silentHostDaemons = (host: Host, stateDir: string, name: string) =>
  silentDaemons(host, hostDir(stateDir, name), HOST_DAEMONS)

/** Why a host cannot be worked on (its namespace gone, daemons silent), or undefined. */
export async function hostProblem(host: Host, stateDir: string, on: OvnHost): Promise<string | undefined> {
  if (!(await ifPresent(stat(on.netns)))) return `its network namespace ${on.netns} is gone`
  const silent = await silentHostDaemons(host, stateDir, on.name)
  return silent.length > 0 ? `${silent.join(', ')} not answering` : undefined
}

/** Removes the underlay and the central's end of it. */
export async function removeUnderlay(host: Host, ovs: string | undefined): Promise<void> {
  if (ovs) await vsctl(host, { db: ovs }, '--if-exists', 'del-br', 'br-phy').catch(() => undefined)
  for (const link of ['xcovcu', UNDERLAY]) if (await linkExists(host, link)) await host.run('ip', ['link', 'del', link])
}
