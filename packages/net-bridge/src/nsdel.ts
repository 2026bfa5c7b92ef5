import { existsSync } from 'node:fs'
import { XclusterError, endProcess, type Host } from '@xcluster/core'
import { deleteRule } from './firewall-rules.js'
import { ipIn, linkNames } from './host-commands.js'
import type { NetnsNames } from './netns-plan.js'
import { neededBy, readRecord, removeRecord, siblingRecords } from './netns-record.js'
import { processesIn, removeNetnsAndUserns } from './user-namespace.js'

/**
 * Removes the netns, the veth, and the outer rules xcluster added for it. A rule another cluster
 * netns of this host namespace still needs stays; that netns holds it too, so the last one to go
 * removes it. Other records are only read. The processes of a user's netns (`nsadd --user`) in it are ended first,
 * by pid (their state directory is left to them); returns their pids.
 */
export async function nsdel(host: Host, names: NetnsNames): Promise<number[]> {
  const record = await readRecord(names.netns)
  if (!existsSync(`/run/netns/${names.netns}`) && !record)
    throw new XclusterError(`netns ${names.netns} does not exist`)
  const ended = record?.user ? await processesIn(names.netns, record.user.uid) : []
  await Promise.all(ended.map((pid) => endProcess(pid)))
  // The veth goes first: deleting the netns would remove it too, but only some time later.
  if ((await linkNames(host)).includes(names.outside)) await ipIn(host, undefined, 'link', 'del', names.outside)
  await removeNetnsAndUserns(host, names.netns)
  const others = await siblingRecords(names.netns)
  for (const { rule, added } of record?.rules ?? []) {
    if (added && !neededBy(others, rule)) await deleteRule(host, rule).catch(() => undefined)
  }
  await removeRecord(names.netns)
  return ended
}
