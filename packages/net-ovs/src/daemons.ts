import { mkdir, readFile, readlink, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Host, processExists, ifPresent } from '@xcluster/core'
import type { Datapath } from './options.js'
import { ownDatabase } from './ovs-state.js'

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'
const SYSTEM_PIDFILE = '/run/openvswitch/ovs-vswitchd.pid'
const ownDir = (stateDir: string) => join(stateDir, 'ovs')

/**
 * Whether an Open vSwitch already runs in this network namespace and answers: its ovs-vswitchd
 * must share our netns (one in another namespace would make our ports there).
 */
export async function systemOvsHere(host: Host): Promise<boolean> {
  const pid = Number(((await ifPresent(readFile(SYSTEM_PIDFILE, 'utf8'))) ?? '').trim())
  if (!Number.isInteger(pid) || pid <= 0 || !processExists(pid)) return false
  const [theirs, ours] = await Promise.all([
    readlink(`/proc/${pid}/ns/net`).catch(() => ''),
    readlink('/proc/self/ns/net'),
  ])
  if (theirs !== ours) return false
  return host.run('ovs-vsctl', ['--timeout=2', 'show']).then(
    () => true,
    () => false,
  )
}

/** The kernel datapath where the openvswitch module loads, else the user-space one. */
export async function chooseDatapath(host: Host, wanted: Datapath): Promise<'system' | 'netdev'> {
  if (wanted !== 'auto') return wanted
  return host.run('modprobe', ['openvswitch']).then(
    () => 'system' as const,
    () => 'netdev' as const,
  )
}

/**
 * Whether the cluster's OVS answers: its own daemons, both ovsdb-server and ovs-vswitchd through
 * their control sockets; an Open vSwitch that ran here already (no `db`) is not the cluster's to check.
 */
export async function clusterOvsAnswers(host: Host, state: { db?: string }): Promise<boolean> {
  if (!state.db) return true
  const dir = dirname(state.db.replace(/^unix:/, ''))
  const answers = (name: string) =>
    host.run('ovs-appctl', ['--timeout=2', '-t', join(dir, `${name}.ctl`), 'version']).then(
      () => true,
      () => false,
    )
  return (await answers('ovsdb-server')) && (await answers('ovs-vswitchd'))
}

/** The environment of the cluster's own Open vSwitch daemons, and of what talks to them: their run directory. */
export function ownOvsEnvironment(host: Host, stateDir: string): Record<string, string> {
  return { PATH: host.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', OVS_RUNDIR: ownDir(stateDir) }
}

/**
 * Starts ovsdb-server and ovs-vswitchd of the cluster's own: database, sockets, pid files and logs in
 * `<stateDir>/ovs`.
 */
export async function startOwnOvs(host: Host, stateDir: string): Promise<string> {
  const dir = ownDir(stateDir)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { mode: 0o700 })
  const db = ownDatabase(stateDir)
  const daemon = (name: string) => [
    `--pidfile=${join(dir, `${name}.pid`)}`,
    `--unixctl=${join(dir, `${name}.ctl`)}`,
    `--log-file=${join(dir, `${name}.log`)}`,
    '--detach',
    '--no-chdir',
    '-vconsole:off',
  ]
  // Everything of theirs in the cluster's directory, never in /var/run/openvswitch (bridges' management sockets
  // included, where ovn-controller looks for br-int's).
  const env = ownOvsEnvironment(host, stateDir)
  try {
    await host.run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA])
    await host.run(
      'ovsdb-server',
      [join(dir, 'conf.db'), `--remote=punix:${join(dir, 'db.sock')}`, ...daemon('ovsdb-server')],
      { env },
    )
    await host.run('ovs-vsctl', [`--db=${db}`, '--no-wait', 'init'])
    await host.run('ovs-vswitchd', [db, ...daemon('ovs-vswitchd')], { env })
  } catch (error) {
    await stopOwnOvs(host, stateDir)
    throw error
  }
  return db
}

/**
 * Ends the cluster's own daemons through their control sockets, waits until they are gone, and
 * removes their files (also those of daemons that died: stale pid files and sockets).
 */
export async function stopOwnOvs(host: Host, stateDir: string): Promise<void> {
  const dir = ownDir(stateDir)
  for (const name of ['ovs-vswitchd', 'ovsdb-server']) {
    const pid = Number(((await ifPresent(readFile(join(dir, `${name}.pid`), 'utf8'))) ?? '').trim())
    const answered = await host.run('ovs-appctl', ['--timeout=5', '-t', join(dir, `${name}.ctl`), 'exit']).then(
      () => true,
      () => false,
    )
    // Only a daemon that took the exit from its own socket is waited for: a pid from a stale file may be anyone's now.
    for (let waited = 0; answered && pid > 0 && processExists(pid) && waited < 50; waited++) await sleep(100)
  }
  await rm(dir, { recursive: true, force: true })
}
