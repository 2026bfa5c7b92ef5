import type { ClusterHooks } from '../contract/hooks.js'
import type { NetArgs, NodeNet } from '../contract/context.js'

/**
 * Which plugin attached a NIC: every netSetup tap (sync or promise) is wrapped to note its name against the question
 * (the NodeNet object) it answered. The hook is a bail hook, so the one noted is the first that answered.
 */
export function noteNetCarriers(hooks: ClusterHooks): WeakMap<NodeNet, string> {
  const answered = new WeakMap<NodeNet, string>()
  const noted = (tap: string, nodeNet: NodeNet, args: NetArgs | undefined) => {
    if (args !== undefined) answered.set(nodeNet, tap)
    return args
  }
  hooks.netSetup.intercept({
    register: (tap) => {
      const fn = tap.fn as (nodeNet: NodeNet) => NetArgs | undefined | Promise<NetArgs | undefined>
      if (tap.type === 'sync')
        return { ...tap, fn: (nodeNet: NodeNet) => noted(tap.name, nodeNet, fn(nodeNet) as NetArgs) }
      if (tap.type === 'promise')
        return { ...tap, fn: async (nodeNet: NodeNet) => noted(tap.name, nodeNet, await fn(nodeNet)) }
      return tap
    },
  })
  return answered
}
