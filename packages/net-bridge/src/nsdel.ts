import { existsSync } from 'node:fs'
import { XclusterError } from '@xcluster/core'
import { deleteRule } from './firewall-rules.js'
import { ipIn, linkNames } from './host-commands.js'
import type { NetnsNames } from './netns-plan.js'
import { otherRecords, readRecord, removeRecord, sameRule, writeRecord } from './netns-record.js'

/**
 * Removes the netns, the veth, and the outer rules its nsadd added. A rule another cluster netns
 * still uses stays, and that netns takes it over, so the last one to go removes it.
 */
export async function nsdel(names: NetnsNames): Promise<void> {
  const record = await readRecord(names.netns)
  if (!existsSync(`/run/netns/${names.netns}`) && !record) throw new XclusterError(`netns ${names.netns} does not exist`)
  if (existsSync(`/run/netns/${names.netns}`)) await ipIn(undefined, 'netns', 'del', names.netns)
  if ((await linkNames()).includes(names.outside)) await ipIn(undefined, 'link', 'del', names.outside)
  const others = await otherRecords(names.netns)
  for (const { rule, added } of record?.rules ?? []) {
    if (!added) continue
    const heir = others.find((other) => other.rules.some((r) => sameRule(r.rule, rule)))
    if (!heir) {
      await deleteRule(rule).catch(() => undefined)
      continue
    }
    heir.rules = heir.rules.map((r) => (sameRule(r.rule, rule) ? { ...r, added: true } : r))
    await writeRecord(heir)
  }
  await removeRecord(names.netns)
}
