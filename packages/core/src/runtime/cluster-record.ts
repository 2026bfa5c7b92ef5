import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ifPresent } from '../host/if-present.js'
import { parseJsonAs } from '../schema/read-json.js'

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
  /** The settings given on the command line at start (`{ nvm: '2', mtu: '9000' }`), for what boots into it later. */
  settings?: Record<string, string>
}

const recordPath = (stateDir: string) => join(stateDir, 'cluster.json')
const recordSchema = z.strictObject({
  packages: z
    .array(
      z.tuple([
        z.string().max(214),
        z
          .record(z.string(), z.unknown())
          .nullish()
          .transform((v) => v ?? undefined),
      ]),
    )
    .max(100),
  topology: z.string().max(100).optional(),
  plugins: z.array(z.string().max(214)).max(100),
  settings: z.record(z.string().regex(/^[\w-]{1,64}$/), z.string().max(4096)).optional(),
})

/** The record, or undefined when there is none or it is not what start writes. */
export async function readClusterRecord(stateDir: string): Promise<ClusterRecord | undefined> {
  const text = await ifPresent(readFile(recordPath(stateDir), 'utf8'))
  if (text === undefined) return undefined
  try {
    return parseJsonAs(recordSchema, text, recordPath(stateDir))
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
