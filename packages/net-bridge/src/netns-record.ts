import { dirEntries, ifPresent, parseJsonAs, z } from '@xcluster/core'
import { existsSync, statSync } from 'node:fs'
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FirewallRule } from './firewall-rules.js'

/** What nsadd made outside a cluster netns, kept so that nsdel removes exactly that. */
export interface NetnsRecord {
  netns: string
  outside: string
  /** Outer rules this netns needs, and whether xcluster added each (rather than finding the user's own). */
  rules: { rule: FirewallRule; added: boolean }[]
  /** The user it was made for (`nsadd --user`), whose cluster nsdel stops. */
  user?: { name: string; uid: number; gid: number }
}

const RECORD_ROOT = '/run/xcluster/netns'

/**
 * The records of the network namespace this process runs in: each host namespace has its own
 * firewall, so its records live apart, under the inode of its namespace.
 */
export function hostRecordDir(): string {
  return join(RECORD_ROOT, `host-${statSync('/proc/self/ns/net').ino}`)
}

const recordFile = (netns: string) => join(hostRecordDir(), `${netns}.json`)

export async function writeRecord(record: NetnsRecord): Promise<void> {
  await mkdir(hostRecordDir(), { recursive: true, mode: 0o700 })
  await writeFile(recordFile(record.netns), JSON.stringify(record, null, 2), { mode: 0o600 })
}

// Read back as root: what nsdel undoes (firewall rules, a veth) is only ever what nsadd wrote.
const recordSchema = z.strictObject({
  netns: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  outside: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/),
  rules: z
    .array(
      z.strictObject({
        rule: z.strictObject({
          family: z.union([z.literal(4), z.literal(6)]),
          table: z.enum(['nat', 'filter']),
          chain: z.string().regex(/^[A-Za-z0-9_-]{1,28}$/),
          spec: z.array(z.string().regex(/^[\x21-\x7e]{1,256}$/)).max(32),
        }),
        added: z.boolean(),
      }),
    )
    .max(64),
  user: z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/),
      uid: z.number().int().min(1).max(4294967294),
      gid: z.number().int().min(0).max(4294967294),
    })
    .optional(),
})

function parseRecord(text: string): NetnsRecord | undefined {
  try {
    return parseJsonAs(recordSchema, text, 'a netns record')
  } catch {
    return undefined
  }
}

/** The record of a cluster netns made from this host namespace; undefined when there is none or it is unreadable. */
export async function readRecord(netns: string): Promise<NetnsRecord | undefined> {
  const text = await ifPresent(readFile(recordFile(netns), 'utf8'))
  return text === undefined ? undefined : parseRecord(text)
}

/** Removes the record, and this host namespace's directory once it holds no record. */
export async function removeRecord(netns: string): Promise<void> {
  await rm(recordFile(netns), { force: true })
  await rmdir(hostRecordDir()).catch(() => undefined)
}

/**
 * The records of the other cluster netns of this host namespace that still exist, to tell
 * whether a shared rule is still needed. A record whose netns is gone is removed.
 */
export async function siblingRecords(netns: string): Promise<NetnsRecord[]> {
  const files = (await dirEntries(hostRecordDir())).filter((f) => f.endsWith('.json') && f !== `${netns}.json`)
  const records: NetnsRecord[] = []
  for (const name of files.map((f) => f.slice(0, -5))) {
    const record = await readRecord(name)
    if (record && existsSync(`/run/netns/${name}`)) records.push(record)
    else await removeRecord(name)
  }
  return records
}

export const sameRule = (a: FirewallRule, b: FirewallRule) => JSON.stringify(a) === JSON.stringify(b)

/** Whether one of `records` needs the rule and holds it as xcluster's. */
export const heldByXcluster = (records: NetnsRecord[], rule: FirewallRule) =>
  records.some((r) => r.rules.some((x) => x.added && sameRule(x.rule, rule)))
export const neededBy = (records: NetnsRecord[], rule: FirewallRule) =>
  records.some((r) => r.rules.some((x) => sameRule(x.rule, rule)))
