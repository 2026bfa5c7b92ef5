import { type Setting, type SettingKind, roleOf } from '@xcluster/core'
import { sshVia } from '@xcluster/ssh-transport'

/** One host a cluster spans. */
export interface HostEntry {
  /** Its name in status, pictures and errors: a lower-case letter, then letters, digits or dashes. */
  name: string
  /**
   * How it is reached: `sim` (a simulated host: a network namespace xcluster makes in the cluster's netns and removes
   * at stop), `netns:NAME` (a network namespace of yours in /run/netns, standing in for a machine) or
   * `ssh://USER@ADDRESS[:PORT][/PROJECT]` (a machine where the same xcluster is installed in PROJECT).
   */
  via: string
  /** The VMs that run there, by id; the others are spread over the hosts, each role in turn. */
  nodes?: number[]
}

declare module '@xcluster/core' {
  interface PluginSettings {
    /**
     * The hosts the cluster spans (@xcluster/net-ovn places the VMs on them): `sim:N` makes N simulated hosts h1..hN
     * (network namespaces) in the cluster's netns; a list names each host and how it is reached. Unset: this host
     * alone.
     */
    hosts?: string | HostEntry[]
  }
}

export const MAX_SIMULATED = 8
export const MAX_HOSTS = 16
const NAME = /^[a-z][a-z0-9-]{0,15}$/
// A name `ip netns add` would make: one path component under /run/netns.
const NETNS = /^netns:(?!\.{1,2}$)[A-Za-z0-9_.-]{1,64}$/
const SIMULATED = /^sim:(\d{1,2})$/
export const VIA_RULE =
  'via must be sim (a simulated host xcluster makes), netns:NAME (a network namespace of yours) or' +
  ' ssh://USER@ADDRESS[:PORT][/PROJECT] (a machine with xcluster installed in PROJECT, default the login directory)'

/** The hosts a `hosts` setting names: `sim:N` is N simulated hosts h1..hN. */
export function hostList(hosts: string | HostEntry[] | undefined): HostEntry[] {
  if (hosts === undefined) return []
  if (Array.isArray(hosts)) return hosts
  const count = Number(SIMULATED.exec(hosts)?.[1] ?? 0)
  return Array.from({ length: count }, (_, k) => ({ name: `h${k + 1}`, via: 'sim' }))
}

/** The problem with one host entry, or undefined. */
function entryProblem(entry: unknown, k: number): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return `host ${k + 1} must be { name, via, nodes? }`
  const { name, via, nodes, ...rest } = entry as Record<string, unknown>
  const at = `host ${typeof name === 'string' ? JSON.stringify(name) : k + 1}`
  const extra = Object.keys(rest)[0]
  if (extra !== undefined) return `${at}: ${extra} is not a field (name, via, nodes)`
  if (typeof name !== 'string' || !NAME.test(name))
    return `${at}: name must be a lower-case letter, then up to 15 letters, digits or dashes`
  if (typeof via !== 'string' || !(via === 'sim' || NETNS.test(via) || sshVia(via))) return `${at}: ${VIA_RULE}`
  if (nodes === undefined) return undefined
  if (!Array.isArray(nodes) || !nodes.every((id) => Number.isInteger(id) && roleOf(id as number)))
    return `${at}: nodes must be a list of node ids (1-200 vms, 201-220 routers, 221-240 testers)`
  return undefined
}

/** The rules of the `hosts` setting: `sim:N`, or a list of distinct hosts each node is listed on at most once. */
export function hostsProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const count = Number(SIMULATED.exec(value)?.[1] ?? 0)
    return count >= 1 && count <= MAX_SIMULATED
      ? undefined
      : `must be sim:N (N simulated hosts, 1 to ${MAX_SIMULATED}) or a list of { name, via, nodes? }`
  }
  const entries = value as unknown[]
  if (entries.length < 1 || entries.length > MAX_HOSTS) return `must list 1 to ${MAX_HOSTS} hosts`
  const problem = entries.map(entryProblem).find((p) => p !== undefined)
  if (problem) return problem
  const hosts = entries as HostEntry[]
  const names = hosts.map((host) => host.name)
  const twice = names.find((name, k) => names.indexOf(name) !== k)
  if (twice) return `host ${JSON.stringify(twice)} is listed twice: each host needs a name of its own`
  const listed = hosts.flatMap((host) => (host.nodes ?? []).map((id) => ({ id, host: host.name })))
  const again = listed.find((entry, k) => listed.findIndex((other) => other.id === entry.id) !== k)
  if (again) return `node ${again.id} is in the nodes of two hosts: a VM runs on one host`
  return undefined
}

/** The text spelling (`--hosts`, XCLUSTER_HOSTS): `sim:N`, or `NAME=VIA[#ID,ID...]` words. */
export function parseHosts(raw: string): string | HostEntry[] | undefined {
  if (SIMULATED.test(raw)) return raw
  const words = raw.split(/\s+/).filter(Boolean)
  if (words.length === 0 || words.length > MAX_HOSTS) return undefined
  const entries = words.map((word) => /^([^=#]+)=([^#]+)(?:#(\d{1,3}(?:,\d{1,3})*))?$/.exec(word))
  if (entries.some((match) => !match)) return undefined
  return entries.map((match) => {
    const [, name, via, ids] = match!
    return { name, via, ...(ids ? { nodes: ids.split(',').map(Number) } : {}) }
  })
}

export function formatHosts(value: unknown): string {
  if (typeof value === 'string') return value
  return (value as HostEntry[])
    .map((host) => `${host.name}=${host.via}${host.nodes?.length ? `#${host.nodes.join(',')}` : ''}`)
    .join(' ')
}

/** How the `hosts` setting is read from text and written back: `sim:N`, or `NAME=VIA[#IDS]` words. */
const HOSTS_KIND: SettingKind = {
  parse: parseHosts,
  format: formatHosts,
  rule: 'must be sim:N or words NAME=VIA, each with #ID,ID... for its nodes if you like (h1=sim h2=netns:lab2#2,4)',
  holds: (value) => typeof value === 'string' || Array.isArray(value),
  typeRule: 'must be sim:N or a list of { name, via, nodes? }',
}

/** net-ovn's setting: the hosts it spreads the VMs over. */
export const HOSTS_SETTING: Setting = {
  path: 'hosts',
  kind: HOSTS_KIND,
  value: 'HOSTS',
  help: 'the hosts OVN spreads the VMs over: sim:N, or NAME=VIA words (VIA: sim, netns:NAME)',
  flag: 'hosts',
  env: 'XCLUSTER_HOSTS',
  check: hostsProblem,
}
