import type { ClusterContext } from '../contract/context.js'
import type { ClusterHooks } from '../contract/hooks.js'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'
import { qemuArgv } from '../qemu/argv.js'

/** The qemu argv of one node: the base words, each NIC from `netSetup` in NIC order, then `kvmArgs`. */
export async function vmArgv(hooks: ClusterHooks, node: Node, context: ClusterContext): Promise<string[]> {
  const nicArgs: string[] = []
  for (const nic of node.nics) {
    const args = await hooks.netSetup.promise({ node, nic, context })
    if (!args) {
      throw new XclusterError(
        `no network backend attached net ${nic.net} of ${node.hostname}: add a backend plugin such as bridge() or` +
          ` userspace()`,
      )
    }
    nicArgs.push(...args)
  }
  return hooks.kvmArgs.promise(qemuArgv(node, context, nicArgs), node, context)
}
