import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type Host,
  XclusterError,
  endProcess,
  ifPresent,
  parseJsonAs,
  processExists,
  remoteQuote,
  z,
} from '@xcluster/core'
import { sshVia } from '@xcluster/ssh-transport'
import type { HostEntry } from './hosts-setting.js'
import { linkExists } from '@xcluster/net-ovs'
import { machineDir } from './machine-dir.js'
import { NET_OVN_VERSION } from './version.js'
import { type OvnHost, hostLabel } from './ovn-state.js'
import { type SshMachine, sshWords } from '@xcluster/ssh-transport'
import { UNDERLAY, hostIp } from './underlay.js'

/** Asks xcluster on the machine (`xcluster ovn-host OP JSON` in its project) and returns its answer. */
export async function askMachine(
  host: Host,
  machine: SshMachine & Pick<HostEntry, 'name'>,
  op: string,
  request: object = {},
): Promise<Record<string, unknown>> {
  const project = sshVia(machine.via)?.project
  const line =
    `${project ? `cd ${remoteQuote(project)} && ` : ''}exec ./node_modules/.bin/xcluster ovn-host ${op}` +
    ` ${remoteQuote(JSON.stringify(request))}`
  const out = await host.run('ssh', [...sshWords(machine), '--', line]).catch((error) => {
    throw new XclusterError(
      `host ${hostLabel(machine)}: ${op}: ${error instanceof Error ? error.message : String(error)}`,
    )
  })
  return parseJsonAs(answer, out.trim().split('\n').pop() || '{}', `host ${hostLabel(machine)}: ${op}: its answer`)
}

/** What the agent on a machine answers: a JSON object, each operation reading its own fields from it. */
const answer = z.record(z.string(), z.unknown())

/** Refuses a machine that does not answer, or runs another version of this package (named, with what to do). */
export async function checkMachine(host: Host, entry: HostEntry, sshConfig: string | undefined): Promise<void> {
  const { version } = await askMachine(host, { ...entry, sshConfig }, 'hello')
  if (version !== NET_OVN_VERSION)
    throw new XclusterError(
      `host ${hostLabel(entry)} has @xcluster/net-ovn ${version} in` +
        ` ${sshVia(entry.via)?.project ?? 'its login directory'},` +
        ` this machine ${NET_OVN_VERSION}: install the same version on both`,
    )
}

/** The ssh tunnel's unit on the machine: tapN there, from the host's directory (another cluster's is another). */
const remoteUnit = (dir: string) =>
  1000 + (Number.parseInt(createHash('sha256').update(dir).digest('hex').slice(0, 8), 16) % 8000)

/**
 * The ssh words of the underlay's tunnel, a process known by them; its connection is the one the machine's commands
 * go through (its control socket).
 */
const tunnelWords = (machine: SshMachine, local: number, dir: string) => [
  '-N',
  ...(machine.control ? ['-o', 'ControlMaster=yes', '-o', `ControlPath=${machine.control}`] : []),
  '-o',
  'Tunnel=ethernet',
  '-o',
  'ExitOnForwardFailure=yes',
  '-w',
  `${local}:${remoteUnit(dir)}`,
  ...sshWords({ ...machine, control: undefined }),
]

/**
 * Makes the machine of an ssh host a chassis: the underlay is an ethernet tunnel of ssh (tap10K here, on the underlay
 * bridge; its other end goes into the host's namespace there), and xcluster on the machine makes the namespace, its
 * Open vSwitch and ovn-controller under /run/xcluster.
 */
export async function startSshHost(
  host: Host,
  localDir: string,
  plan: { entry: HostEntry; index: number; cluster: string; mtu: number; southbound: string; sshConfig?: string },
): Promise<OvnHost> {
  const { entry, index, mtu, sshConfig } = plan
  const control = join(localDir, 'ssh.sock')
  // A control socket's path is at most 107 bytes: a longer one leaves each command its own connection.
  const machine = { via: entry.via, sshConfig, ...(control.length < 100 ? { control } : {}) }
  const dir = machineDir(plan.cluster, entry.name)
  await mkdir(localDir, { recursive: true, mode: 0o700 })
  const local = 100 + index
  const link = `tap${local}`
  const tunnel = await host.spawnDetached('ssh', tunnelWords(machine, local, dir), join(localDir, 'tunnel.log'))
  const made: OvnHost = {
    ...entry,
    ip: hostIp(index),
    netns: '',
    ovs: `unix:${join(dir, 'db.sock')}`,
    link,
    dir,
    tunnel,
  }
  if (sshConfig) made.sshConfig = sshConfig
  if (machine.control) made.control = machine.control
  for (let k = 0; !(await linkExists(host, link)); k++) {
    if (!processExists(tunnel) || k > 150) {
      const said = (await ifPresent(readFile(join(localDir, 'tunnel.log'), 'utf8'))) ?? ''
      await endProcess(tunnel, 0)
      throw new XclusterError(
        `host ${hostLabel(entry)}: the underlay's ssh tunnel did not come up` +
          " (the machine's sshd needs PermitTunnel yes or" +
          ` ethernet): ${said.trim().split('\n').slice(-3).join('; ') || 'no word from ssh'}`,
      )
    }
    await sleep(100)
  }
  await host.run('ip', ['link', 'set', link, 'mtu', String(mtu), 'master', UNDERLAY, 'up'])
  await host.run('ethtool', ['-K', link, 'tx', 'off'])
  const { netns } = await askMachine(host, { ...entry, ...machine }, 'up', {
    dir,
    name: entry.name,
    index,
    cluster: plan.cluster,
    mtu,
    southbound: plan.southbound,
    port: `tap${remoteUnit(dir)}`,
  })
  // A path nsenter enters as root there: only what the machine's xcluster makes.
  if (typeof netns !== 'string' || !/^\/proc\/\d+\/ns\/net$/.test(netns))
    throw new XclusterError(`host ${hostLabel(entry)}: up: answered ${JSON.stringify(netns)} for its namespace`)
  return { ...made, netns }
}

/** Ends the tunnel process of a host, known by its pid and its words (a pid may be anyone's after a while). */
async function endTunnel(on: OvnHost): Promise<void> {
  if (!on.tunnel || !on.dir) return
  const argv = (await ifPresent(readFile(`/proc/${on.tunnel}/cmdline`, 'utf8')))?.split('\0') ?? []
  const words = tunnelWords(on, Number(on.link.slice(3)), on.dir)
  if (argv[0] === 'ssh' && words.every((word, k) => argv[k + 1] === word)) await endProcess(on.tunnel, 2000)
}

/** Ends what the cluster has on an ssh host's machine (VMs, daemons, files), then the tunnel to it. */
export async function stopSshHost(host: Host, on: OvnHost): Promise<void> {
  try {
    await askMachine(host, on, 'down', { dir: on.dir })
  } finally {
    await endTunnel(on)
  }
}

/** Why an ssh host cannot be worked on (no answer over ssh, its namespace or daemons gone), or undefined. */
export async function sshHostProblem(host: Host, on: OvnHost): Promise<string | undefined> {
  const answer = await askMachine(host, on, 'check', { dir: on.dir, netns: on.netns }).catch((error: Error) => ({
    problem: `it does not answer: ${error.message}`,
  }))
  if (!processExists(on.tunnel ?? 0)) return `its underlay's ssh tunnel (pid ${on.tunnel}) is gone`
  return typeof answer.problem === 'string' ? answer.problem : undefined
}
