import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import { type Node, nodeOf } from '../node/node.js'

/** Node ids given as words (`1 2 201`); each must be a whole number in a role's range. */
export function nodesOfArgs(config: ClusterConfig, args: string[], command: string): Node[] {
  if (args.length === 0) throw new XclusterError(`${command} needs node ids, e.g. \`xcluster ${command} 5 6\``)
  return args.map((arg) => {
    if (!/^\d+$/.test(arg)) throw new XclusterError(`node id ${JSON.stringify(arg)} is not a whole number`)
    return nodeOf(config, Number(arg))
  })
}

/** The one node id a command acts on. */
export function nodeIdArg(args: string[], command: string): number {
  const [arg] = args
  if (arg === undefined || !/^\d+$/.test(arg))
    throw new XclusterError(`${command} needs a node id first, e.g. \`xcluster ${command} 1\``)
  return Number(arg)
}
