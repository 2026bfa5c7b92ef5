import { existsSync } from 'node:fs'
import { XclusterError, ipv6Address } from '@xcluster/core'
import { ensureBridge, type BridgeSettings } from './bridge-device.js'
import { ensureRule, deleteRule, innerRules, outerRules } from './firewall-rules.js'
import { enableForwarding, ipIn, linkNames } from './host-commands.js'
import type { NetnsAddresses, NetnsNames } from './netns-plan.js'
import { heldByXcluster, siblingRecords, writeRecord, type NetnsRecord } from './netns-record.js'

/** The nets every cluster netns has bridges for from the start. */
export const BASE_NETS = [0, 1, 2]

/** Refuses, before any change, a netns or veth that exists already. */
export async function assertFree(names: NetnsNames): Promise<void> {
  if (existsSync(`/run/netns/${names.netns}`)) throw new XclusterError(`netns ${names.netns} exists already; remove it with \`xcluster nsdel\` first`)
  if ((await linkNames()).includes(names.outside)) throw new XclusterError(`the interface ${names.outside} exists already in this namespace`)
}

/**
 * Creates the cluster netns, its veth pair with addresses and routes, forwarding, the masquerade
 * of the maintenance net inside, the outer masquerade and forward rules (each only when absent),
 * and the bridges of nets 0-2. A failure part-way undoes what was done.
 */
export async function nsadd(names: NetnsNames, addresses: NetnsAddresses, bridges: BridgeSettings): Promise<NetnsRecord> {
  await assertFree(names)
  const { netns, outside, inside } = names
  const undo: (() => Promise<unknown>)[] = []
  try {
    await ipIn(undefined, 'netns', 'add', netns)
    undo.push(() => ipIn(undefined, 'netns', 'del', netns))
    await ipIn(undefined, 'link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', netns)
    undo.push(() => ipIn(undefined, 'link', 'del', outside))
    await ipIn(undefined, 'addr', 'add', `${addresses.host}/32`, 'dev', outside)
    await ipIn(undefined, '-6', 'addr', 'add', `${addresses.host6}/128`, 'dev', outside, 'nodad')
    await ipIn(undefined, 'link', 'set', outside, 'up')
    await ipIn(undefined, 'route', 'add', `${addresses.ns}/32`, 'dev', outside)
    await ipIn(undefined, '-6', 'route', 'add', `${addresses.ns6}/128`, 'dev', outside)
    await ipIn(netns, 'link', 'set', 'lo', 'up')
    await ipIn(netns, 'link', 'set', inside, 'up')
    await ipIn(netns, 'addr', 'add', `${addresses.ns}/32`, 'dev', inside)
    await ipIn(netns, '-6', 'addr', 'add', `${addresses.ns6}/128`, 'dev', inside, 'nodad')
    await ipIn(netns, 'route', 'add', `${addresses.host}/32`, 'dev', inside)
    await ipIn(netns, 'route', 'add', 'default', 'via', addresses.host)
    await ipIn(netns, '-6', 'route', 'add', `${addresses.host6}/128`, 'dev', inside)
    await ipIn(netns, '-6', 'route', 'add', 'default', 'via', addresses.host6)
    await enableForwarding(netns)
    const maintenance6 = `${ipv6Address(bridges.ipv6Prefix, 0, 0)}/120`
    for (const rule of innerRules(inside, '192.168.0.0/24', maintenance6)) await ensureRule(rule, netns)
    for (const net of BASE_NETS) await ensureBridge(net, bridges, netns)
    // Forwarding in the outer namespace is shared with other clusters, so nsdel leaves it on.
    await enableForwarding(undefined)
    const record: NetnsRecord = { netns, outside, rules: [] }
    const siblings = await siblingRecords(netns)
    for (const rule of outerRules(addresses.masq, addresses.masq6)) {
      const added = await ensureRule(rule)
      if (added) undo.push(() => deleteRule(rule))
      // A rule another cluster netns added is xcluster's too: the last netns that needs it removes it.
      record.rules.push({ rule, added: added || heldByXcluster(siblings, rule) })
    }
    await writeRecord(record)
    return record
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined)
    throw error
  }
}
