import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type ClusterContext, ifPresent } from '@xcluster/core'
import type { SimHost } from './sim-hosts.js'

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
  /** The simulated hosts (`hosts: 'sim:N'`); none: every VM runs here. */
  hosts: SimHost[]
  /** Which simulated host each VM runs on, by node id. */
  placement: Record<number, string>
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

/** The recorded state, or undefined when there is none or it is not what this plugin writes. */
export async function readOvnState(stateDir: string): Promise<OvnState | undefined> {
  const text = await ifPresent(readFile(stateFile(stateDir), 'utf8'))
  if (text === undefined) return undefined
  const state = JSON.parse(text)
  const ours = typeof state.cluster === 'string' && state.ovs === `unix:${join(stateDir, 'ovs', 'db.sock')}`
  return ours && isNets(state.nets) && isNets(state.tookAddresses) && Array.isArray(state.hosts) ? state : undefined
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
