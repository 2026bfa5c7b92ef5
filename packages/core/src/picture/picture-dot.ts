import type { NetworkPicture } from './network-picture.js'

/** A DOT string: quoted, with quotes and backslashes escaped, lines split by Graphviz's centred break. */
const quoted = (lines: string[]) => `"${lines.map((line) => line.replace(/["\\]/g, (c) => `\\${c}`)).join('\\n')}"`

const ROLE_COLOURS = { vm: '#dbe9f6', router: '#fde2c4', tester: '#dff3d8' } as const

const nodeKey = (id: number) => `vm${id}`
const netKey = (net: number) => `net${net}`

/**
 * How far each node and net is from the vms through the nets above 0 (breadth first): drawn top
 * to bottom in that order, vms sit above their nets, routers between the nets they join, testers
 * below. A part the vms cannot reach starts a search of its own.
 */
function levels(picture: NetworkPicture): Map<string, number> {
  const neighbours = new Map<string, string[]>()
  const link = (a: string, b: string) => neighbours.set(a, [...(neighbours.get(a) ?? []), b])
  for (const node of picture.nodes) {
    for (const l of node.links.filter((l) => l.net !== 0)) {
      link(nodeKey(node.id), netKey(l.net))
      link(netKey(l.net), nodeKey(node.id))
    }
  }
  const level = new Map<string, number>()
  const search = (starts: string[]) => {
    for (const start of starts) level.set(start, 0)
    for (const queue = [...starts]; queue.length > 0; ) {
      const here = queue.shift()!
      for (const next of neighbours.get(here) ?? []) {
        if (level.has(next)) continue
        level.set(next, level.get(here)! + 1)
        queue.push(next)
      }
    }
  }
  search(picture.nodes.filter((node) => node.role === 'vm').map((node) => nodeKey(node.id)))
  for (const node of picture.nodes) if (!level.has(nodeKey(node.id))) search([nodeKey(node.id)])
  return level
}

/**
 * The Graphviz source of a picture (each VM, net and link with an id the page finds it by: vm-001, net1,
 * vm-001-net1), drawn like the shell tool's figure: each net a dark bar with
 * its name, ranges and medium; each node a box with hostname and role (and state); each link an
 * edge labelled with the interface and its addresses. Net 0 reaches every node: a line from it
 * to each would cross the whole drawing, so its bar stands apart and each node's box names its
 * eth0 and addresses on it.
 */
export function pictureDot(picture: NetworkPicture): string {
  const level = levels(picture)
  const lines = [
    'graph xcluster {',
    `  graph [label=${quoted([picture.title])}, labelloc=t, fontname="Helvetica", fontsize=16, nodesep=0.3,` +
      ` ranksep=0.6]`,
    '  node [fontname="Helvetica", fontsize=11]',
    '  edge [fontname="Helvetica", fontsize=9]',
  ]
  for (const net of picture.nets) {
    const label = quoted([net.name, ...net.ranges, ...(net.medium ? [net.medium] : [])])
    lines.push(
      `  ${netKey(net.net)} [id="net${net.net}", shape=box, style="filled,bold", fillcolor="#444444",` +
        ` fontcolor=white, width=3, label=${label}]`,
    )
  }
  const hosts = [...new Set(picture.nodes.flatMap((node) => (node.host === undefined ? [] : [node.host])))]
  for (const node of picture.nodes) {
    const net0 = node.links
      .filter((link) => link.net === 0)
      .flatMap((link) => [`${link.ifname} ${link.addresses[0] ?? ''}`.trim(), ...link.addresses.slice(1)])
    const label = quoted([node.hostname, node.role, ...(node.state ? [node.state] : []), ...net0])
    const dead = node.state !== undefined && node.state !== 'running'
    const box =
      `${nodeKey(node.id)} [id="${node.hostname}", shape=box, style="rounded,filled${dead ? ',dashed' : ''}",` +
      ` fillcolor="${ROLE_COLOURS[node.role]}", label=${label}]`
    // A node on a host is declared in that host's cluster: Graphviz draws a box around each.
    const k = node.host === undefined ? -1 : hosts.indexOf(node.host)
    lines.push(
      k < 0 ? `  ${box}` : `  subgraph cluster_host${k} { label=${quoted([node.host!])}; style="dashed"; ${box} }`,
    )
    for (const link of node.links.filter((link) => link.net !== 0)) {
      const label = quoted([link.ifname, ...link.addresses])
      // dot ranks the first end of an edge above the second.
      const [a, b] = [nodeKey(node.id), netKey(link.net)]
      const [upper, lower] = (level.get(a) ?? 0) <= (level.get(b) ?? 0) ? [a, b] : [b, a]
      lines.push(`  ${upper} -- ${lower} [id="${node.hostname}-net${link.net}", label=${label}]`)
    }
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}
