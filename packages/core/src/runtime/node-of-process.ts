import type { ClusterConfig } from '../config/types.js'
import { type Node, nodeOf } from '../node/node.js'
import { netsOf } from '../vm/processes.js'

/** The node as it really runs: its nets read from its qemu command line, the rest from the config. */
export function nodeOfProcess(config: ClusterConfig, id: number, argv: string[] | undefined): Node {
  const nets = argv ? netsOf(argv) : []
  if (nets.length === 0) return nodeOf(config, id)
  return nodeOf({ ...config, node: { ...config.node, [id]: { ...config.node[id], nets } } }, id)
}
