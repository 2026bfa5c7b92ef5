import { XclusterError } from '../errors.js'
import { defineOperation } from '../contract/operation.js'
import { runningVmIds } from './completion-words.js'
import { clusterOf } from './cluster-of.js'
import { nodeIdArg } from './node-ids.js'
import { SUMMARIES } from './summaries.js'

export const linkOperation = defineOperation({
  name: 'link',
  output: '`{ hostname, net, state }`',
  summary: SUMMARIES.link,
  usage: 'ID NET down|up',
  help: `Drops or restores the carrier of VM ID's NIC on net NET: the guest sees NO-CARRIER and the routes on
that NIC go, as when a cable is pulled; \`up\` plugs it back. Status shows the links that are down
(\`link down: net 1\`); a VM booted again has every link up.`,
  flags: {},
  complete: (input, index) => (index === 0 ? runningVmIds(input) : index === 2 ? ['down', 'up'] : []),
  async run(input) {
    const id = nodeIdArg(input.args, 'link')
    const [, net, state] = input.args
    if (net === undefined || !/^\d{1,3}$/.test(net) || (state !== 'down' && state !== 'up') || input.args.length > 3)
      throw new XclusterError(
        `link needs ID NET down|up, e.g. \`xcluster link 2 1 down\` (got ${input.args.join(' ')})`,
      )
    const node = await (await clusterOf(input)).setLink(id, Number(net), state === 'up')
    return { hostname: node.hostname, net: Number(net), state }
  },
  present: ({ hostname, net, state }) => ({ text: `${hostname} net ${net}: link ${state}\n` }),
})
