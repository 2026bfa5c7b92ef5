import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FirewallRule } from './firewall-rules.js'

/** What nsadd made outside a cluster netns, kept so that nsdel removes exactly that. */
export interface NetnsRecord {
  netns: string
  outside: string
  /** Outer rules this netns needs, and whether an nsadd added each (rather than finding it). */
  rules: { rule: FirewallRule; added: boolean }[]
}

const RECORD_DIR = '/run/xcluster/netns'
const recordFile = (netns: string) => join(RECORD_DIR, `${netns}.json`)

export async function writeRecord(record: NetnsRecord): Promise<void> {
  await mkdir(RECORD_DIR, { recursive: true })
  await writeFile(recordFile(record.netns), JSON.stringify(record, null, 2))
}

export async function readRecord(netns: string): Promise<NetnsRecord | undefined> {
  const text = await readFile(recordFile(netns), 'utf8').catch(() => undefined)
  return text === undefined ? undefined : JSON.parse(text)
}

export async function removeRecord(netns: string): Promise<void> {
  await rm(recordFile(netns), { force: true })
}

/** The records of every other cluster netns, to tell whether a shared rule is still needed. */
export async function otherRecords(netns: string): Promise<NetnsRecord[]> {
  const files = await readdir(RECORD_DIR).catch(() => [] as string[])
  const names = files.filter((f) => f.endsWith('.json') && f !== `${netns}.json`).map((f) => f.slice(0, -5))
  return (await Promise.all(names.map(readRecord))).filter((r): r is NetnsRecord => r !== undefined)
}

export const sameRule = (a: FirewallRule, b: FirewallRule) => JSON.stringify(a) === JSON.stringify(b)
