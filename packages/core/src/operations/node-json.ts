import type { Node } from '../node/node.js'

/** The JSON form of a node in `start --dry-run --json` and `status --json`. */
export function nodeJson(node: Node) {
  return {
    id: node.id,
    hostname: node.hostname,
    role: node.role,
    nets: node.nics.map((nic) => nic.net),
    macs: node.nics.map((nic) => nic.mac),
    ipv4: node.nics.map((nic) => nic.ipv4),
    ipv6: node.nics.map((nic) => nic.ipv6),
    mem: node.mem,
    smp: node.smp,
  }
}
