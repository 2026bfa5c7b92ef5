import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { type Host, ifPresent } from '@xcluster/core'
import type { HostEntry } from './hosts-setting.js'
import { daemonFiles, endDaemon, PROBE_MS, pidOf, silentDaemons, waitForIntegrationBridge } from './daemons.js'
import { hostIn } from './in-host.js'
import { hostIp, underlayBridge } from './underlay.js'

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'

/** The daemons of a chassis, the one that makes it first. */
export const HOST_DAEMONS = ['ovn-controller', 'ovs-vswitchd', 'ovsdb-server'] as const

/** A chassis as it was made: its network namespace (as nsenter takes it) and its Open vSwitch database. */
export interface Chassis {
  netns: string
  ovs: string
}

/** What a chassis is made from. */
export interface ChassisPlan {
  /** Its host: `via` sim makes a namespace of its own, `netns:NAME` enters the user's. */
  entry: Pick<HostEntry, 'name' | 'via'>
  /** Its files: databases, sockets, pid files, logs (private, made afresh). */
  dir: string
  /** Its place on the underlay: 10.250.0.index. */
  index: number
  cluster: string
  mtu: number
  /** The central's southbound database, as the chassis reaches it: `tcp:ADDR:6642`. */
  southbound: string
  /** Gives the chassis its end of the underlay: moves a link into the namespace held by process `anchor`; its name. */
  underlayPort(anchor: number): Promise<string>
}

/** The network namespace of a `netns:NAME` host. */
export const userNetns = (via: string) => `/run/netns/${via.slice('netns:'.length)}`

/**
 * Makes a chassis of the cluster's OVN in a network namespace (a simulated host's own, held by its database server, or
 * the user's): its Open vSwitch, its end of the underlay on br-phy, and its ovn-controller.
 */
export async function startChassis(host: Host, plan: ChassisPlan): Promise<Chassis> {
  const { entry, dir } = plan
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const env = { PATH: host.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', OVS_RUNDIR: dir, OVN_RUNDIR: dir }
  const ovs = `unix:${join(dir, 'db.sock')}`
  await host.run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA])
  const server = ['ovsdb-server', join(dir, 'conf.db'), `--remote=punix:${join(dir, 'db.sock')}`]
  // A simulated host's network namespace begins with its database server, which holds it.
  const enter = entry.via === 'sim' ? ['--net'] : [`--net=${userNetns(entry.via)}`]
  const program = entry.via === 'sim' ? 'unshare' : 'nsenter'
  await host.run(program, [...enter, ...server, ...daemonFiles(dir, 'ovsdb-server')], { env })
  const anchor = await pidOf(dir, 'ovsdb-server')
  const chassis = { netns: entry.via === 'sim' ? `/proc/${anchor}/ns/net` : userNetns(entry.via), ovs }
  const ip = hostIp(plan.index)
  const run = (file: string, args: string[]) => hostIn(host, chassis).run(file, args, { env })
  await run('ip', ['link', 'set', 'lo', 'up'])
  await run('ovs-vsctl', [`--db=${ovs}`, '--no-wait', 'init'])
  await run('ovs-vswitchd', [ovs, ...daemonFiles(dir, 'ovs-vswitchd')])
  await underlayBridge({ run }, ovs, await plan.underlayPort(anchor), ip, plan.mtu)
  await run('ovs-vsctl', [
    `--db=${ovs}`,
    'set',
    'open',
    '.',
    `external-ids:system-id=${plan.cluster}-${entry.name}`,
    `external-ids:ovn-remote=${plan.southbound}`,
    `external-ids:ovn-remote-probe-interval=${PROBE_MS}`,
    'external-ids:ovn-encap-type=geneve',
    `external-ids:ovn-encap-ip=${ip}`,
    'external-ids:ovn-bridge-datapath-type=netdev',
  ])
  await run('ovn-controller', [ovs, ...daemonFiles(dir, 'ovn-controller')])
  await waitForIntegrationBridge(host, ovs, `host ${entry.name} (${entry.via})`)
  return chassis
}

/**
 * Ends a chassis' daemons and removes its files. A simulated host's namespace goes with the last of them; in a user's
 * namespace Open vSwitch takes its bridges with it (`exit --cleanup`).
 */
export async function stopChassis(host: Host, dir: string): Promise<void> {
  for (const daemon of HOST_DAEMONS) await endDaemon(host, dir, daemon)
  await rm(dir, { recursive: true, force: true })
}

/** Whether a network namespace is there to enter. */
export const namespaceThere = async (netns: string) => (await ifPresent(stat(netns))) !== undefined

/** Why a chassis cannot be worked on (its namespace gone, daemons silent), or undefined. */
export async function chassisProblem(host: Host, dir: string, netns: string): Promise<string | undefined> {
  if (!(await namespaceThere(netns))) return `its network namespace ${netns} is gone`
  const silent = await silentDaemons(host, dir, HOST_DAEMONS)
  return silent.length > 0 ? `${silent.join(', ')} not answering` : undefined
}
