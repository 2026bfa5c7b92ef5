import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Host, XclusterError } from '@xcluster/core'
import { linkExists, vsctl } from '@xcluster/net-ovs'
import { appctl, controlSocket, daemonFiles, endDaemon, pidOf } from './daemons.js'
import { ovnDir } from './ovn-state.js'

/** The underlay of the simulated hosts: a Linux bridge in the cluster netns, 10.250.0.0/24, jumbo frames. */
export const UNDERLAY = 'xcovnul'
export const UNDERLAY_MTU = 9000
export const CENTRAL_IP = '10.250.0.254'
const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'

/** A simulated host: a network namespace held by its own ovsdb-server (no name in /run/netns to lose). */
export interface SimHost {
  name: string
  /** Its underlay address, where Geneve tunnels end. */
  ip: string
  /** The pid of its ovsdb-server, whose /proc/PID/ns/net is the host's network namespace. */
  anchor: number
  /** Its Open vSwitch database. */
  ovs: string
}

export const hostDir = (stateDir: string, name: string) => join(ovnDir(stateDir), name)

/** Runs a program in a simulated host's network namespace. */
export function inSimHost(
  host: Host,
  sim: Pick<SimHost, 'anchor'>,
  file: string,
  args: string[],
  env?: Record<string, string>,
) {
  return host.run('nsenter', [`--net=/proc/${sim.anchor}/ns/net`, file, ...args], env ? { env } : {})
}

/** Puts an Open vSwitch bridge br-phy (user-space datapath) on `port`, holding the underlay address. */
export async function underlayBridge(
  run: (file: string, args: string[]) => Promise<string>,
  ovs: string,
  port: string,
  ip: string,
) {
  const vs = (...args: string[]) => run('ovs-vsctl', [`--db=${ovs}`, '--timeout=10', ...args])
  await vs('--may-exist', 'add-br', 'br-phy', '--', 'set', 'bridge', 'br-phy', 'datapath_type=netdev')
  await vs('--may-exist', 'add-port', 'br-phy', port, '--', 'set', 'interface', port, `mtu_request=${UNDERLAY_MTU}`)
  await vs('set', 'interface', 'br-phy', `mtu_request=${UNDERLAY_MTU}`)
  await run('ip', ['link', 'set', port, 'up'])
  await run('ip', ['link', 'set', 'br-phy', 'up'])
  await run('ip', ['addr', 'replace', `${ip}/24`, 'dev', 'br-phy'])
  // The user-space datapath drops partial checksums from veths: they are made before a packet leaves.
  await run('ethtool', ['-K', port, 'tx', 'off'])
  await run('ethtool', ['-K', 'br-phy', 'tx', 'off'])
}

/** The underlay bridge and a veth of `name` on it; returns the end to move into the host. */
async function underlayLink(host: Host, name: string): Promise<string> {
  if (!(await linkExists(host, UNDERLAY))) {
    await host.run('ip', ['link', 'add', UNDERLAY, 'type', 'bridge'])
    await host.run('ip', ['link', 'set', UNDERLAY, 'mtu', String(UNDERLAY_MTU), 'up'])
  }
  const [outer, inner] = [`${name}u`, `${name}p`]
  if (await linkExists(host, outer)) await host.run('ip', ['link', 'del', outer])
  await host.run('ip', [
    'link',
    'add',
    outer,
    'mtu',
    String(UNDERLAY_MTU),
    'type',
    'veth',
    'peer',
    'name',
    inner,
    'mtu',
    String(UNDERLAY_MTU),
  ])
  await host.run('ip', ['link', 'set', outer, 'master', UNDERLAY, 'up'])
  await host.run('ethtool', ['-K', outer, 'tx', 'off'])
  return inner
}

/**
 * Readies the central for hosts: its end of the underlay on br-phy, its southbound database on the underlay
 * address, and its own chassis (the host ports of the nets) as a Geneve end there too.
 */
export async function spanHosts(host: Host, stateDir: string, ovs: string): Promise<void> {
  const port = await underlayLink(host, 'xcovc')
  await underlayBridge((file, args) => host.run(file, args), ovs, port, CENTRAL_IP)
  const sb = join(ovnDir(stateDir), 'sb.ctl')
  await host.run('ovs-appctl', ['-t', sb, 'ovsdb-server/add-remote', `ptcp:6642:${CENTRAL_IP}`])
  await vsctl(host, { db: ovs }, 'set', 'open', '.', `external-ids:ovn-encap-ip=${CENTRAL_IP}`)
}

/**
 * Makes simulated host `name` (index i: underlay 10.250.0.i): a network namespace of its own, its
 * Open vSwitch, its end of the underlay on br-phy, and its ovn-controller as a chassis of the central.
 */
export async function startSimHost(
  host: Host,
  stateDir: string,
  name: string,
  index: number,
  cluster: string,
): Promise<SimHost> {
  const dir = hostDir(stateDir, name)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const env = { PATH: host.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', OVS_RUNDIR: dir, OVN_RUNDIR: dir }
  const ovs = `unix:${join(dir, 'db.sock')}`
  await host.run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA])
  // Its own network namespace begins with its database server, which holds it.
  await host.run(
    'unshare',
    [
      '--net',
      'ovsdb-server',
      join(dir, 'conf.db'),
      `--remote=punix:${join(dir, 'db.sock')}`,
      ...daemonFiles(dir, 'ovsdb-server'),
    ],
    { env },
  )
  const sim: SimHost = { name, ip: `10.250.0.${index}`, anchor: await pidOf(dir, 'ovsdb-server'), ovs }
  const run = (file: string, args: string[]) => inSimHost(host, sim, file, args, env)
  await run('ip', ['link', 'set', 'lo', 'up'])
  await run('ovs-vsctl', [`--db=${ovs}`, '--no-wait', 'init'])
  await run('ovs-vswitchd', [ovs, ...daemonFiles(dir, 'ovs-vswitchd')])
  const port = await underlayLink(host, `xcov${index}`)
  await host.run('ip', ['link', 'set', port, 'netns', String(sim.anchor)])
  await underlayBridge(run, ovs, port, sim.ip)
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
    if (waited > 100) throw new XclusterError(`simulated host ${name}: ovn-controller made no br-int within 10 s`)
    await sleep(100)
  }
  return sim
}

/** Ends a simulated host's daemons (its namespace goes with the last of them) and removes its files. */
export async function stopSimHost(host: Host, stateDir: string, name: string): Promise<void> {
  const dir = hostDir(stateDir, name)
  for (const daemon of ['ovn-controller', 'ovs-vswitchd', 'ovsdb-server'])
    await endDaemon(host, dir, daemon, appctl(daemon), await controlSocket(dir, daemon))
  await rm(dir, { recursive: true, force: true })
}

/** Removes the underlay and the central's end of it. */
export async function removeUnderlay(host: Host, ovs: string | undefined): Promise<void> {
  if (ovs) await vsctl(host, { db: ovs }, '--if-exists', 'del-br', 'br-phy').catch(() => undefined)
  for (const link of ['xcovcu', UNDERLAY]) if (await linkExists(host, link)) await host.run('ip', ['link', 'del', link])
}
