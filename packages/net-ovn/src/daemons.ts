import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Host, XclusterError, ifPresent, processExists } from '@xcluster/core'
import { ownOvsEnvironment, vsctl } from '@xcluster/net-ovs'
import { hostIn } from './in-host.js'
import { ovnDir } from './ovn-state.js'

const NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema'
const SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema'

/** How long a southbound connection may stay silent before it is probed (both ends). */
export const PROBE_MS = 60_000

/** The daemons of the cluster's OVN, each with its pid file, control socket and log in `<stateDir>/ovn`. */
const DAEMONS = ['ovn-controller', 'ovn-northd', 'sb', 'nb'] as const

/** The OVN daemons answer ovn-appctl, the databases and Open vSwitch's ovs-appctl. */
export const appctl = (name: string) => (name.startsWith('ovn-') ? 'ovn-appctl' : 'ovs-appctl')

// ovn-controller takes no --unixctl: its control socket is <OVN_RUNDIR>/ovn-controller.<pid>.ctl.
export const daemonFiles = (dir: string, name: string) => [
  `--pidfile=${join(dir, `${name}.pid`)}`,
  ...(name === 'ovn-controller' ? [] : [`--unixctl=${join(dir, `${name}.ctl`)}`]),
  `--log-file=${join(dir, `${name}.log`)}`,
  '--detach',
  '--no-chdir',
  '-vconsole:off',
]

export const pidOf = async (dir: string, name: string) =>
  Number(((await ifPresent(readFile(join(dir, `${name}.pid`), 'utf8'))) ?? '').trim())

/** Where a daemon answers ovs-appctl / ovn-appctl. */
export async function controlSocket(dir: string, name: string): Promise<string> {
  return name === 'ovn-controller'
    ? join(dir, `ovn-controller.${await pidOf(dir, name)}.ctl`)
    : join(dir, `${name}.ctl`)
}

/** Where the central runs and how the chassis reach it. */
export interface CentralPlace {
  /** The network namespace of the host its databases and ovn-northd run in; none: this one. */
  netns?: string
  /** The underlay address its southbound database listens on for the hosts' chassis; none: no hosts. */
  listen?: string
  /** This namespace's Geneve end: its underlay address when there are hosts. */
  encapIp: string
}

/**
 * Starts the cluster's OVN: the northbound and southbound databases and ovn-northd (here or in a host's namespace),
 * and ovn-controller as this namespace's chassis on the cluster's own Open vSwitch (user-space datapath: no kernel
 * module), which makes the integration bridge br-int. The databases answer on unix sockets in `<stateDir>/ovn`, the
 * southbound one also on the underlay when there are hosts.
 */
export async function startOvn(host: Host, stateDir: string, ovs: string, cluster: string, central: CentralPlace) {
  const dir = ovnDir(stateDir)
  const { run } = central.netns ? hostIn(host, { netns: central.netns }) : host
  for (const [db, schema] of [
    ['nb', NB_SCHEMA],
    ['sb', SB_SCHEMA],
  ]) {
    await host.run('ovsdb-tool', ['create', join(dir, `${db}.db`), schema])
    // The southbound database also listens where its Connection rows say: the hosts' chassis connect there.
    const rows = db === 'sb' ? ['--remote=db:OVN_Southbound,SB_Global,connections'] : []
    await run('ovsdb-server', [
      join(dir, `${db}.db`),
      `--remote=punix:${join(dir, `${db}.sock`)}`,
      ...rows,
      ...daemonFiles(dir, db),
    ])
  }
  const nb = `unix:${join(dir, 'nb.sock')}`
  const sb = `unix:${join(dir, 'sb.sock')}`
  if (central.listen) {
    // Probes a minute apart, not 5 s: on a busy machine a slow answer must not end a chassis' connection.
    await host.run('ovn-sbctl', [`--db=${sb}`, 'init'])
    await host.run('ovn-sbctl', [
      `--db=${sb}`,
      `--inactivity-probe=${PROBE_MS}`,
      'set-connection',
      `ptcp:6642:${central.listen}`,
    ])
  }
  await run('ovn-northd', [`--ovnnb-db=${nb}`, `--ovnsb-db=${sb}`, ...daemonFiles(dir, 'ovn-northd')])
  await vsctl(
    host,
    { db: ovs },
    'set',
    'open',
    '.',
    `external-ids:system-id=${cluster}`,
    `external-ids:ovn-remote=${central.netns ? `tcp:${central.listen}:6642` : sb}`,
    `external-ids:ovn-remote-probe-interval=${PROBE_MS}`,
    'external-ids:ovn-encap-type=geneve',
    `external-ids:ovn-encap-ip=${central.encapIp}`,
    'external-ids:ovn-bridge-datapath-type=netdev',
  )
  await host.run('ovn-controller', [ovs, ...daemonFiles(dir, 'ovn-controller')], {
    env: { ...ownOvsEnvironment(host, stateDir), OVN_RUNDIR: dir },
  })
  await waitForIntegrationBridge(host, ovs)
}

/** A fresh, private `<stateDir>/ovn` for the central's and the hosts' files. */
export async function freshOvnDir(stateDir: string): Promise<void> {
  await rm(ovnDir(stateDir), { recursive: true, force: true })
  await mkdir(ovnDir(stateDir), { mode: 0o700 })
}

/** ovn-controller makes br-int once it has read the southbound database: ports go on it after that. */
export async function waitForIntegrationBridge(host: Host, ovs: string, whose = 'the cluster netns'): Promise<void> {
  // A minute: on a busy machine the daemons start slowly; a healthy one makes it in well under a second.
  for (let waited = 0; waited < 600; waited++) {
    const bridges = await vsctl(host, { db: ovs }, 'list-br')
    if (bridges.split('\n').includes('br-int')) return
    await sleep(100)
  }
  throw new XclusterError(`ovn-controller of ${whose} made no integration bridge br-int within 60 s: see its log`)
}

/**
 * Ends one daemon of `dir`: `exit` through its control socket; one still there after 5 s (a busy machine, a hung
 * daemon) is killed, but only when its command line names `dir`: a pid from a stale file may be anyone's now.
 */
export async function endDaemon(host: Host, dir: string, name: string): Promise<void> {
  const pid = await pidOf(dir, name)
  const ctl = await controlSocket(dir, name)
  // Open vSwitch in a namespace that outlives it takes its bridges' devices with it.
  const exit = name === 'ovs-vswitchd' ? ['exit', '--cleanup'] : ['exit']
  await host.run(appctl(name), ['--timeout=5', '-t', ctl, ...exit]).then(
    () => undefined,
    () => undefined,
  )
  for (let waited = 0; pid > 0 && processExists(pid) && waited < 50; waited++) await sleep(100)
  const ours = pid > 0 && (await ifPresent(readFile(`/proc/${pid}/cmdline`, 'utf8')))?.includes(dir)
  if (ours && processExists(pid)) process.kill(pid, 'SIGKILL')
}

/** The daemons of `dir` among `names` that do not answer on their control sockets. */
export async function silentDaemons(host: Host, dir: string, names: readonly string[]): Promise<string[]> {
  const silent = []
  for (const name of names) {
    const answers = await host.run(appctl(name), ['--timeout=2', '-t', await controlSocket(dir, name), 'version']).then(
      () => true,
      () => false,
    )
    if (!answers) silent.push(name)
  }
  return silent
}

/** Whether every daemon of the cluster's OVN answers on its control socket. */
export async function ovnAnswers(host: Host, stateDir: string): Promise<boolean> {
  return (await silentDaemons(host, ovnDir(stateDir), DAEMONS)).length === 0
}

/**
 * Ends the cluster's OVN daemons through their control sockets (ovn-controller first, so it leaves
 * br-int to the OVS stop), waits until they are gone, and removes their files.
 */
export async function stopOvn(host: Host, stateDir: string): Promise<void> {
  const dir = ovnDir(stateDir)
  for (const name of DAEMONS) await endDaemon(host, dir, name)
  await rm(dir, { recursive: true, force: true })
}
