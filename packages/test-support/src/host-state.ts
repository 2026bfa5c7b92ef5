import { execa } from 'execa'
import { statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import type { TestNetns } from './netns.js'

/** What nsadd may change in the namespace standing in for the host: netns, links, firewall rules, records. */
export async function hostState(outer: TestNetns, netnsPrefix: string) {
  const rules = async (file: string, table: string) =>
    (await outer.exec(file, ['-w', '-t', table, '-S'])).stdout
      .split('\n')
      .filter((l) => l.startsWith('-A'))
      .sort()
  const netns = (await execa('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(netnsPrefix))
  // nsadd keeps its records under the identity of the namespace it ran in.
  const recordDir = `/run/xcluster/netns/host-${statSync(`/run/netns/${outer.name}`).ino}`
  const records = (await readdir(recordDir).catch((): string[] => [])).filter((f) => f.startsWith(netnsPrefix))
  return {
    netns,
    links: (await outer.exec('ip', ['-o', 'link', 'show'])).stdout
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0]),
    rules: [
      ...(await rules('iptables', 'nat')),
      ...(await rules('iptables', 'filter')),
      ...(await rules('ip6tables', 'nat')),
      ...(await rules('ip6tables', 'filter')),
    ],
    records,
  }
}
