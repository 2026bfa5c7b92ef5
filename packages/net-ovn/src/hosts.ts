import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { type Host, type HostEntry, XclusterError, ifPresent } from '@xcluster/core'
import { daemonFiles, endDaemon, PROBE_MS, pidOf, silentDaemons, waitForIntegrationBridge } from './daemons.js'
import { hostIn } from './in-host.js'
import { type OvnHost, ovnDir } from './ovn-state.js'
import { hostIp, removeLink, underlayBridge, underlayLink } from './underlay.js'

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'

export const hostDir = (stateDir: string, name: string) => join(ovnDir(stateDir), name)

/** How a host is reached, as errors name it: `h2 (netns:lab2)`. */
export const hostLabel = (entry: Pick<HostEntry, 'name' | 'via'>) => `${entry.name} (${entry.via})`

/** The network namespace of a `netns:NAME` host. */
const userNetns = (via: string) => `/run/netns/${via.slice('netns:'.length)}`

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
  /** The central's southbound database, as the chassis reaches it: `tcp:ADDR:6642`. */
  southbound: string,
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
  const anchor = await pidOf(dir, 'ovsdb-server')
  const netns = entry.via === 'sim' ? `/proc/${anchor}/ns/net` : userNetns(entry.via)
  const sim: OvnHost = { ...entry, ip: hostIp(index), netns, ovs, link: `xcov${index}u` }
  const there = hostIn(host, sim)
  const run = (file: string, args: string[]) => there.run(file, args, { env })
  await run('ip', ['link', 'set', 'lo', 'up'])
  await run('ovs-vsctl', [`--db=${ovs}`, '--no-wait', 'init'])
  await run('ovs-vswitchd', [ovs, ...daemonFiles(dir, 'ovs-vswitchd')])
  const port = await underlayLink(host, sim.link.slice(0, -1), mtu)
  await host.run('ip', ['link', 'set', port, 'netns', String(anchor)])
  await underlayBridge({ run }, ovs, port, sim.ip, mtu)
  await run('ovs-vsctl', [
    `--db=${ovs}`,
    'set',
    'open',
    '.',
    `external-ids:system-id=${cluster}-${name}`,
    `external-ids:ovn-remote=${southbound}`,
    `external-ids:ovn-remote-probe-interval=${PROBE_MS}`,
    'external-ids:ovn-encap-type=geneve',
    `external-ids:ovn-encap-ip=${sim.ip}`,
    'external-ids:ovn-bridge-datapath-type=netdev',
  ])
  await run('ovn-controller', [ovs, ...daemonFiles(dir, 'ovn-controller')])
  await waitForIntegrationBridge(host, ovs, `host ${hostLabel(entry)}`)
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
  for (const daemon of HOST_DAEMONS) await endDaemon(host, dir, daemon)
  await removeLink(host, which.link)
  await rm(dir, { recursive: true, force: true })
}

/** Whether a host's network namespace is there to enter. */
export const hostReachable = async (on: Pick<OvnHost, 'netns'>) => (await ifPresent(stat(on.netns))) !== undefined

/** Why a host cannot be worked on (its namespace gone, daemons silent), or undefined. */
export async function hostProblem(host: Host, stateDir: string, on: OvnHost): Promise<string | undefined> {
  if (!(await hostReachable(on))) return `its network namespace ${on.netns} is gone`
  const silent = await silentDaemons(host, hostDir(stateDir, on.name), HOST_DAEMONS)
  return silent.length > 0 ? `${silent.join(', ')} not answering` : undefined
}
