import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * What a cluster was started with that later commands must use again: a plain `status` or `stop`
 * after `start --plugins=@xcluster/net-ovs` must know OVS. Written by start, removed by stop.
 */
export interface ClusterRecord {
  /** Plugin packages chosen by name at start (config, --plugins, XCLUSTER_PLUGINS), with their options. */
  packages: [string, Record<string, unknown> | undefined][]
  /** `--topology` / `TOPOLOGY` at start. */
  topology?: string
  /** The name of every plugin the cluster ran with. */
  plugins: string[]
}

const recordPath = (stateDir: string) => join(stateDir, 'cluster.json')
const isOptions = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value))
const isPackage = (value: unknown) =>
  Array.isArray(value) && value.length <= 2 && typeof value[0] === 'string' && isOptions(value[1])

/** The record, or undefined when there is none or it is not what start writes. */
export async function readClusterRecord(stateDir: string): Promise<ClusterRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(recordPath(stateDir), 'utf8'))
    const valid =
      Array.isArray(record?.packages) &&
      record.packages.every(isPackage) &&
      Array.isArray(record.plugins) &&
      record.plugins.every((name: unknown) => typeof name === 'string') &&
      (record.topology === undefined || typeof record.topology === 'string')
    return valid
      ? {
          packages: record.packages.map(([name, options]: [string, unknown]) => [name, options ?? undefined]),
          topology: record.topology,
          plugins: record.plugins,
        }
      : undefined
  } catch {
    return undefined
  }
}

export async function writeClusterRecord(stateDir: string, record: ClusterRecord): Promise<void> {
  const path = recordPath(stateDir)
  await writeFile(`${path}.new`, JSON.stringify(record), { mode: 0o600 })
  await rename(`${path}.new`, path)
}

export async function removeClusterRecord(stateDir: string): Promise<void> {
  await rm(recordPath(stateDir), { force: true })
}
