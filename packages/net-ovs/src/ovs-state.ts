import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Host, parseJsonAs, z } from '@xcluster/core'

/** What the cluster's OVS is, as `<stateDir>/ovs.json` records it between commands. */
export interface OvsState {
  /** `unix:<stateDir>/ovs/db.sock` for the cluster's own daemons; absent for an OVS that already ran here. */
  db?: string
  datapath: 'system' | 'netdev'
  /** The nets whose OVS bridge this cluster made. */
  bridges: number[]
  /** The nets whose 192.168.N.250 (and IPv6) moved from the Linux bridge xcbrN, to give back at stop. */
  tookAddresses: number[]
}

const stateFile = (stateDir: string) => join(stateDir, 'ovs.json')
const nets = z.array(z.number().int().min(0).max(255)).max(256)

/** The recorded state, or undefined when there is none or it is not what this plugin writes. */
export async function readOvsState(stateDir: string): Promise<OvsState | undefined> {
  const schema = z.strictObject({
    db: z.literal(ownDatabase(stateDir)).optional(),
    datapath: z.enum(['system', 'netdev']),
    bridges: nets,
    tookAddresses: nets,
  })
  try {
    return parseJsonAs(schema, await readFile(stateFile(stateDir), 'utf8'), stateFile(stateDir))
  } catch {
    return undefined
  }
}

export async function writeOvsState(stateDir: string, state: OvsState): Promise<void> {
  await writeFile(stateFile(stateDir), JSON.stringify(state))
}

export async function removeOvsState(stateDir: string): Promise<void> {
  await rm(stateFile(stateDir), { force: true })
}

/** The database socket of the cluster's own daemons. */
export function ownDatabase(stateDir: string): string {
  return `unix:${join(stateDir, 'ovs', 'db.sock')}`
}

/** Runs ovs-vsctl against the cluster's OVS. */
export function vsctl(host: Pick<Host, 'run'>, state: Pick<OvsState, 'db'>, ...args: string[]): Promise<string> {
  return host.run('ovs-vsctl', [...(state.db ? [`--db=${state.db}`] : []), '--timeout=10', ...args])
}
