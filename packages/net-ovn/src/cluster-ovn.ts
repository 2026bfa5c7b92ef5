import { type ClusterContext, XclusterError } from '@xcluster/core'
import { type HostEntry, hostList } from './hosts-setting.js'
import { clusterOvsAnswers, startOwnOvs, stopOwnOvs } from '@xcluster/net-ovs'
import { freshOvnDir, ovnAnswers, startOvn, stopOvn } from './daemons.js'
import { checkHostsReachable, hostProblem, startHost, stopHost } from './hosts.js'
import { HOME_IP, hostIp, removeUnderlay, spanHosts } from './underlay.js'
import { removeNets } from './logical.js'
import { onMachine } from '@xcluster/ssh-transport'
import type { OvnOptions } from './ovn-options.js'
import { type OvnState, clusterName, hostLabel, readOvnState, removeOvnState, writeOvnState } from './ovn-state.js'

/** The index in `hosts` of the host that runs the central (-1: the cluster netns), checked. */
function centralIndex(hosts: readonly HostEntry[], central: string | undefined): number {
  if (central === undefined) return -1
  const k = hosts.findIndex((entry) => entry.name === central)
  if (hosts[k] && onMachine(hosts[k]))
    throw new XclusterError(
      `@xcluster/net-ovn: central ${JSON.stringify(central)} is a machine over ssh: the central runs here or on a` +
        ' simulated or netns host (not yet on a machine)',
    )
  if (k < 0)
    throw new XclusterError(
      `@xcluster/net-ovn: central ${JSON.stringify(central)} is not one of the hosts` +
        ` (${hosts.map((entry) => entry.name).join(', ') || 'none: set hosts'})`,
    )
  return k
}

/** The cluster's OVN: the recorded one while its daemons answer, else daemons of its own, started afresh. */
export async function clusterOvn(
  context: ClusterContext,
  options: Required<Pick<OvnOptions, 'underlayMtu'>> & OvnOptions,
) {
  const { underlayMtu, central } = options
  const recorded = await readOvnState(context.stateDir)
  if (
    recorded &&
    (await clusterOvsAnswers(context.host, { db: recorded.ovs })) &&
    (await ovnAnswers(context.host, context.stateDir))
  )
    return recorded
  if (recorded) context.log(`the cluster's OVN daemons in ${context.stateDir} are gone: starting them again`)
  const hosts = hostList(context.config.hosts)
  // What cannot work is named before anything is made.
  const centralAt = centralIndex(hosts, central)
  await checkHostsReachable(context.host, hosts, options.sshConfig)
  await teardown(context)
  context.log(`starting Open vSwitch and OVN daemons of the cluster's own in ${context.stateDir}`)
  const cluster = clusterName(context)
  const ovs = await startOwnOvs(context.host, context.stateDir)
  const state: OvnState = { cluster, ovs, nets: [], tookAddresses: [], underlayMtu, hosts: [], placement: {}, central }
  const centralIp = centralAt < 0 ? HOME_IP : hostIp(centralAt + 1)
  try {
    await freshOvnDir(context.stateDir)
    if (hosts.length > 0) {
      context.log(`making hosts ${hosts.map(hostLabel).join(', ')} chassis of the cluster's OVN over Geneve`)
      await spanHosts(context.host, ovs, underlayMtu)
      const southbound = `tcp:${centralIp}:6642`
      for (const [k, entry] of hosts.entries()) {
        const plan = { entry, index: k + 1, cluster, mtu: underlayMtu, southbound, sshConfig: options.sshConfig }
        state.hosts.push(await startHost(context.host, context.stateDir, plan))
        // Recorded as each is made: a failure part-way still finds them at stop.
        await writeOvnState(context.stateDir, state)
      }
    }
    if (centralAt >= 0) context.log(`the OVN central runs on host ${hostLabel(hosts[centralAt])}`)
    await startOvn(context.host, context.stateDir, ovs, cluster, {
      netns: centralAt < 0 ? undefined : state.hosts[centralAt].netns,
      listen: hosts.length > 0 ? centralIp : undefined,
      encapIp: hosts.length > 0 ? HOME_IP : '127.0.0.1',
    })
  } catch (error) {
    await writeOvnState(context.stateDir, state)
    await teardown(context)
    throw error
  }
  return state
}

/** Refuses to place VMs on a host whose daemons are gone, naming it and them. */
export async function requireHostsAnswer(context: ClusterContext, state: OvnState): Promise<void> {
  const problems = []
  for (const on of state.hosts) {
    const problem = await hostProblem(context.host, context.stateDir, on)
    if (problem) problems.push(`host ${hostLabel(on)}: ${problem}`)
  }
  if (problems.length > 0)
    throw new XclusterError(`${problems.join('; ')}: \`xcluster stop\` cleans up, then \`xcluster start\` again`)
}

/**
 * Removes every northbound row of the cluster, its ports and taps, its daemons and its record. Every step is tried
 * whatever the ones before did: a stop cleans what it can, then names what failed (the record stays for another try).
 */
export async function teardown(context: ClusterContext): Promise<void> {
  const { host, stateDir } = context
  const state = await readOvnState(stateDir)
  const failed: string[] = []
  const attempt = (step: () => Promise<unknown>) =>
    step().catch((error) => failed.push(error instanceof Error ? error.message : String(error)))
  if (state && (await ovnAnswers(host, stateDir)))
    await attempt(() => removeNets(host, stateDir, state, context.config.ipv6Prefix))
  for (const on of state?.hosts ?? []) {
    const problem = await hostProblem(host, stateDir, on)
    if (problem) context.log(`stop: host ${hostLabel(on)}: ${problem}: ending what is left of it`)
    await attempt(() => stopHost(host, stateDir, on))
  }
  await attempt(() => removeUnderlay(host, state?.ovs))
  await attempt(() => stopOvn(host, stateDir))
  if (state) await attempt(() => stopOwnOvs(host, stateDir))
  if (failed.length > 0) throw new XclusterError(`OVN: the cluster's stop left work undone:\n  ${failed.join('\n  ')}`)
  await removeOvnState(stateDir)
}
