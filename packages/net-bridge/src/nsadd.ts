import { existsSync } from 'node:fs'
import { XclusterError, ipv6Address, type Host } from '@xcluster/core'
import { ensureBridge, type BridgeSettings } from './bridge-device.js'
import { deleteRule, ensureRule, innerRules, outerRules, ruleExists } from './firewall-rules.js'
import { enableForwarding, ipIn, linkNames } from './host-commands.js'
import type { NetnsAddresses, NetnsNames } from './netns-plan.js'
import { heldByXcluster, removeRecord, siblingRecords, writeRecord, type NetnsRecord } from './netns-record.js'
import type { UserAccount } from './user-account.js'
import { addUserNetns, removeNetnsAndUserns } from './user-namespace.js'

/** The nets every cluster netns has bridges for from the start. */
export const BASE_NETS = [0, 1, 2]

/** Refuses, before any change, a netns or veth that exists already. */
export async function assertFree(host: Host, names: NetnsNames): Promise<void> {
  if (existsSync(`/run/netns/${names.netns}`))
    throw new XclusterError(`netns ${names.netns} exists already; remove it with \`xcluster nsdel\` first`)
  if ((await linkNames(host)).includes(names.outside))
    throw new XclusterError(`the interface ${names.outside} exists already in this namespace`)
}

/**
 * Creates the cluster netns, its veth pair with addresses and routes, forwarding, the masquerade
 * of the maintenance net inside, the outer masquerade and forward rules (each only when absent),
 * and the bridges of nets 0-2. For a user (`--user`), the netns is made in a user namespace of theirs, which gives
 * them the network of that netns and nothing else. A failure part-way undoes what was done.
 */
export async function nsadd(
  host: Host,
  names: NetnsNames,
  addresses: NetnsAddresses,
  bridges: BridgeSettings,
  account?: UserAccount,
): Promise<NetnsRecord> {
  await assertFree(host, names)
  const { netns, outside, inside } = names
  const undo: (() => Promise<unknown>)[] = []
  try {
    if (account) await addUserNetns(host, netns, account)
    else await ipIn(host, undefined, 'netns', 'add', netns)
    undo.push(() => removeNetnsAndUserns(host, netns))
    await ipIn(host, undefined, 'link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', netns)
    undo.push(() => ipIn(host, undefined, 'link', 'del', outside))
    await ipIn(host, undefined, 'addr', 'add', `${addresses.host}/32`, 'dev', outside)
    await ipIn(host, undefined, '-6', 'addr', 'add', `${addresses.host6}/128`, 'dev', outside, 'nodad')
    await ipIn(host, undefined, 'link', 'set', outside, 'up')
    await ipIn(host, undefined, 'route', 'add', `${addresses.ns}/32`, 'dev', outside)
    await ipIn(host, undefined, '-6', 'route', 'add', `${addresses.ns6}/128`, 'dev', outside)
    await ipIn(host, netns, 'link', 'set', 'lo', 'up')
    await ipIn(host, netns, 'link', 'set', inside, 'up')
    await ipIn(host, netns, 'addr', 'add', `${addresses.ns}/32`, 'dev', inside)
    await ipIn(host, netns, '-6', 'addr', 'add', `${addresses.ns6}/128`, 'dev', inside, 'nodad')
    await ipIn(host, netns, 'route', 'add', `${addresses.host}/32`, 'dev', inside)
    await ipIn(host, netns, 'route', 'add', 'default', 'via', addresses.host)
    await ipIn(host, netns, '-6', 'route', 'add', `${addresses.host6}/128`, 'dev', inside)
    await ipIn(host, netns, '-6', 'route', 'add', 'default', 'via', addresses.host6)
    await enableForwarding(host, netns)
    const maintenance6 = `${ipv6Address(bridges.ipv6Prefix, 0, 0)}/120`
    for (const rule of innerRules(inside, '192.168.0.0/24', maintenance6)) await ensureRule(host, rule, netns)
    for (const net of BASE_NETS) await ensureBridge(host, net, bridges, netns)
    // Forwarding in the outer namespace is shared with other clusters, so nsdel leaves it on.
    await enableForwarding(host, undefined)
    const siblings = await siblingRecords(netns)
    // A rule that is there already is the user's, unless another cluster netns holds it as xcluster's.
    const rules = []
    for (const rule of outerRules(addresses.masq, addresses.masq6))
      rules.push({ rule, added: !(await ruleExists(host, rule)) || heldByXcluster(siblings, rule) })
    // The intent is written before any outer rule is added: a nsadd killed part-way leaves a record nsdel undoes.
    const record: NetnsRecord = {
      netns,
      outside,
      rules,
      ...(account && { user: { name: account.name, uid: account.uid, gid: account.gid } }),
    }
    await writeRecord(record)
    undo.push(() => removeRecord(netns))
    for (const { rule } of rules) if (await ensureRule(host, rule)) undo.push(() => deleteRule(host, rule))
    return record
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined)
    throw error
  }
}
