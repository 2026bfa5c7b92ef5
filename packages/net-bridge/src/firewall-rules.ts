import type { Host } from '@xcluster/core'
import { execIn } from './host-commands.js'

/** One iptables or ip6tables rule, as data: checked with -C, added with -A, removed with -D. */
export interface FirewallRule {
  family: 4 | 6
  table: 'nat' | 'filter'
  chain: string
  spec: string[]
}

function argv(rule: FirewallRule, action: '-C' | '-A' | '-D'): [string, string[]] {
  return [rule.family === 4 ? 'iptables' : 'ip6tables', ['-w', '-t', rule.table, action, rule.chain, ...rule.spec]]
}

export async function ruleExists(host: Host, rule: FirewallRule, netns?: string): Promise<boolean> {
  const [file, args] = argv(rule, '-C')
  return execIn(host, netns, file, args).then(
    () => true,
    () => false,
  )
}

/** Adds the rule unless it is there; says whether it added it. */
export async function ensureRule(host: Host, rule: FirewallRule, netns?: string): Promise<boolean> {
  if (await ruleExists(host, rule, netns)) return false
  const [file, args] = argv(rule, '-A')
  await execIn(host, netns, file, args)
  return true
}

export async function deleteRule(host: Host, rule: FirewallRule): Promise<void> {
  const [file, args] = argv(rule, '-D')
  await host.run(file, args)
}

/** Masquerade and forward the netns range on the way out of the outer namespace (v4 and v6). */
export function outerRules(masq: string, masq6: string): FirewallRule[] {
  return (
    [
      [4, masq],
      [6, masq6],
    ] as const
  ).flatMap(([family, range]) => [
    { family, table: 'nat', chain: 'POSTROUTING', spec: ['-s', range, '-j', 'MASQUERADE'] },
    { family, table: 'filter', chain: 'FORWARD', spec: ['-s', range, '-j', 'ACCEPT'] },
    { family, table: 'filter', chain: 'FORWARD', spec: ['-d', range, '-j', 'ACCEPT'] },
  ])
}

/** Masquerade the maintenance net (v4 and v6) out of the netns through its veth end. */
export function innerRules(inside: string, maintenance4: string, maintenance6: string): FirewallRule[] {
  return [
    { family: 4, table: 'nat', chain: 'POSTROUTING', spec: ['-s', maintenance4, '-o', inside, '-j', 'MASQUERADE'] },
    { family: 6, table: 'nat', chain: 'POSTROUTING', spec: ['-s', maintenance6, '-o', inside, '-j', 'MASQUERADE'] },
  ]
}
