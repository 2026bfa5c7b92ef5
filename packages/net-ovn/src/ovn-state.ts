import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { type ClusterContext, ifPresent, parseJsonAs, z } from '@xcluster/core'
import { sshVia } from '@xcluster/ssh-transport'
import type { HostEntry } from './hosts-setting.js'
import { MACHINE_DIR } from './machine-dir.js'
import type { Placement } from './placement.js'

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
  /** The cluster netns' end of its underlay: a veth, or the tunnel's tap for a machine over ssh. */
  link: string
  /** A machine over ssh: where its files are there (/run/xcluster/...). */
  dir?: string
  /** A machine over ssh: the pid of the ssh process that carries its underlay. */
  tunnel?: number
  /** A machine over ssh: the ssh config file used to reach it (the plugin's sshConfig). */
  sshConfig?: string
  /** A machine over ssh: the control socket of its tunnel's connection, which its commands go through. */
  control?: string
}

/** How a host is reached, as errors name it: `h2 (netns:lab2)`. */
export const hostLabel = (entry: Pick<HostEntry, 'name' | 'via'>) => `${entry.name} (${entry.via})`

/** What the cluster's OVN is, as `<stateDir>/ovn.json` records it between commands. */
export interface OvnState {
  /** The name every northbound row of the cluster is tagged with (external_ids:xcluster). */
  cluster: string
  /** The cluster's own Open vSwitch database: `unix:<stateDir>/ovs/db.sock`. */
  ovs: string
  /** The nets whose logical switch and host port this cluster made. */
  nets: number[]
  /** The nets whose 192.168.N.250 (and IPv6) moved from the Linux bridge xcbrN, to give back at stop. */
  tookAddresses: number[]
  /** The MTU of the underlay between the hosts. */
  underlayMtu: number
  /** The hosts the cluster spans (`hosts`), as they were made at start; none: every VM runs here. */
  hosts: OvnHost[]
  /** Which host each VM runs on. */
  placement: Placement
  /** The host the central runs on; none: the cluster netns. */
  central?: string
}

const stateFile = (stateDir: string) => join(stateDir, 'ovn.json')

/** Where the central's and the chassis' files are: `<stateDir>/ovn`. */
export const ovnDir = (stateDir: string) => join(stateDir, 'ovn')

/** The northbound database's socket. */
export const northbound = (stateDir: string) => `unix:${join(ovnDir(stateDir), 'nb.sock')}`

/** The cluster's name in OVN: its netns, which holds the user's name and the netns index. */
export const clusterName = (context: ClusterContext) => `xcluster-${context.netns ?? 'main'}`

const isNets = (value: unknown) =>
  Array.isArray(value) && value.every((net) => Number.isInteger(net) && net >= 0 && net <= 255)

// Paths root enters: what this plugin writes, never what a changed record says.
const isHost = (stateDir: string, host: OvnHost) =>
  /^[a-z][a-z0-9-]{0,15}$/.test(host.name) &&
  /^(\/proc\/\d+\/ns\/net|\/run\/netns\/[A-Za-z0-9_.-]{1,64})$/.test(host.netns) &&
  (sshVia(host.via) ? isMachine(stateDir, host) : isHere(stateDir, host))
const isHere = (stateDir: string, host: OvnHost) =>
  (host.via === 'sim' || host.via.startsWith('netns:')) &&
  host.ovs === `unix:${join(ovnDir(stateDir), host.name, 'db.sock')}` &&
  /^xcov\d{1,2}u$/.test(host.link)
const isMachine = (stateDir: string, host: OvnHost) =>
  typeof host.dir === 'string' &&
  MACHINE_DIR.test(host.dir) &&
  host.ovs === `unix:${join(host.dir, 'db.sock')}` &&
  /^tap1\d\d$/.test(host.link) &&
  Number.isInteger(host.tunnel) &&
  (host.sshConfig === undefined || (typeof host.sshConfig === 'string' && isAbsolute(host.sshConfig))) &&
  (host.control === undefined || host.control === join(ovnDir(stateDir), host.name, 'ssh.sock'))

const name = z.string().max(256)
const hostShape = z.looseObject({
  name,
  via: name,
  nodes: z.array(z.number().int().min(1).max(240)).max(240).optional(),
  ip: z.string().regex(/^10\.250\.0\.\d{1,3}$/),
  netns: name,
  ovs: name,
  link: name,
  dir: name.optional(),
  tunnel: z.number().int().optional(),
  sshConfig: name.optional(),
  control: name.optional(),
})
// The record's shape; what depends on the state directory (paths root enters) is checked after, by isHost.
const stateShape = z.looseObject({
  cluster: name,
  ovs: name,
  nets: z.array(z.number()).max(256),
  tookAddresses: z.array(z.number()).max(256),
  underlayMtu: z.number(),
  hosts: z.array(hostShape).max(64),
  placement: z.record(z.string().regex(/^\d{1,3}$/), name),
  central: name.optional(),
})

/** The recorded state, or undefined when there is none or it is not what this plugin writes. */
export async function readOvnState(stateDir: string): Promise<OvnState | undefined> {
  const text = await ifPresent(readFile(stateFile(stateDir), 'utf8'))
  if (text === undefined) return undefined
  let state: OvnState
  try {
    state = parseJsonAs(stateShape, text, stateFile(stateDir)) as OvnState
  } catch {
    return undefined
  }
  const ours = typeof state.cluster === 'string' && state.ovs === `unix:${join(stateDir, 'ovs', 'db.sock')}`
  const hosts = Array.isArray(state.hosts) && state.hosts.every((host: OvnHost) => isHost(stateDir, host))
  const mtu = Number.isInteger(state.underlayMtu) && (state.central === undefined || typeof state.central === 'string')
  return ours && mtu && isNets(state.nets) && isNets(state.tookAddresses) && hosts ? state : undefined
}

/** Written beside and renamed over the record: a reader never sees half of it. */
export async function writeOvnState(stateDir: string, state: OvnState): Promise<void> {
  const next = `${stateFile(stateDir)}.${process.pid}`
  await writeFile(next, JSON.stringify(state))
  await rename(next, stateFile(stateDir))
}

export async function removeOvnState(stateDir: string): Promise<void> {
  await rm(stateFile(stateDir), { force: true })
}
