import { join } from 'node:path'
import { stat } from 'node:fs/promises'
import { type Host, XclusterError, assertTrustedFile, ifPresent } from '@xcluster/core'
import type { HostEntry } from './hosts-setting.js'
import { chassisProblem, namespaceThere, startChassis, stopChassis, userNetns } from './chassis.js'
import { type OvnHost, hostLabel, ovnDir } from './ovn-state.js'
import { checkMachine, sshHostProblem, startSshHost, stopSshHost } from './ssh-host.js'
import { onMachine } from '@xcluster/ssh-transport'
import { hostIp, removeLink, underlayLink } from './underlay.js'

export const hostDir = (stateDir: string, name: string) => join(ovnDir(stateDir), name)

/**
 * Refuses, before anything is made, hosts that cannot be reached: a `netns:NAME` that is not there, a machine that does
 * not answer over ssh or runs another version of this package. The ssh config must be one nobody else can write: ssh
 * runs its ProxyCommand.
 */
export async function checkHostsReachable(
  host: Host,
  entries: readonly HostEntry[],
  sshConfig?: string,
): Promise<void> {
  if (sshConfig) await assertTrustedFile(sshConfig, 'the ssh config (option sshConfig of net-ovn)')
  const missing = []
  for (const entry of entries) {
    if (onMachine(entry)) {
      const problem = await checkMachine(host, entry, sshConfig).catch((error: Error) => error.message)
      if (problem) missing.push(problem)
    } else if (entry.via !== 'sim' && !(await ifPresent(stat(userNetns(entry.via)))))
      missing.push(`${hostLabel(entry)}: no ${userNetns(entry.via)} (\`ip netns add NAME\` makes one)`)
  }
  if (missing.length > 0) throw new XclusterError(`hosts that cannot be reached:\n  ${missing.join('\n  ')}`)
}

/** What making a host needs besides where it is. */
export interface HostPlan {
  entry: HostEntry
  /** Its place on the underlay: 10.250.0.index. */
  index: number
  cluster: string
  mtu: number
  /** The central's southbound database, as the chassis reaches it: `tcp:ADDR:6642`. */
  southbound: string
  sshConfig?: string
}

/**
 * Makes host `plan.entry` a chassis of the cluster's OVN: a simulated or netns host here, wired to the underlay bridge
 * by a veth; a machine over ssh through a tunnel.
 */
export async function startHost(host: Host, stateDir: string, plan: HostPlan): Promise<OvnHost> {
  const { entry, index } = plan
  const dir = hostDir(stateDir, entry.name)
  if (onMachine(entry)) return startSshHost(host, dir, plan)
  const link = `xcov${index}u`
  const chassis = await startChassis(host, {
    ...plan,
    dir,
    underlayPort: async (anchor) => {
      const port = await underlayLink(host, link.slice(0, -1), plan.mtu)
      await host.run('ip', ['link', 'set', port, 'netns', String(anchor)])
      return port
    },
  })
  return { ...entry, ...chassis, ip: hostIp(index), link }
}

/** Ends a host's daemons (and on a machine its VMs) and removes its files and its end of the underlay. */
export async function stopHost(host: Host, stateDir: string, on: OvnHost): Promise<void> {
  if (onMachine(on)) return stopSshHost(host, on)
  await stopChassis(host, hostDir(stateDir, on.name))
  await removeLink(host, on.link)
}

/** Why a host cannot be worked on (its namespace gone, daemons silent, its machine not answering), or undefined. */
export async function hostProblem(host: Host, stateDir: string, on: OvnHost): Promise<string | undefined> {
  if (onMachine(on)) return sshHostProblem(host, on)
  return chassisProblem(host, hostDir(stateDir, on.name), on.netns)
}

/** Whether a host here can be reached: its namespace is there. */
export const hostReachable = (on: OvnHost) => namespaceThere(on.netns)
