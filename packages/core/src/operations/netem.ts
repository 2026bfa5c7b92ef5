import { XclusterError } from '../errors.js'
import { placeName } from '../lifecycle/shaping.js'
import type { NetemSettings } from '../net/netem-settings.js'
import { type Flags, defineOperation } from '../contract/operation.js'
import { runningVmIds } from './completion-words.js'
import { nodeIdArg } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

const FLAGS = {
  delay: { type: 'string', value: 'TIME', help: 'delay every packet (50ms, 200us, 1.5s; at most 60s)' },
  jitter: { type: 'string', value: 'TIME', help: 'vary the delay by up to TIME (needs --delay)' },
  loss: { type: 'string', value: 'PERCENT', help: 'drop this share of packets (1%)' },
  rate: { type: 'string', value: 'RATE', help: 'limit the rate (10mbit)' },
  clear: { type: 'boolean', help: "remove the NIC's shaping" },
  show: { type: 'boolean', help: 'list every shaped NIC of the running VMs' },
} as const satisfies Flags

/** A NIC's shaping: where it is set (the tap on the host, or the guest) and tc's words. */
type Shaped = { hostname: string; net: number; ifname: string; netem: string; place: string }

export const netemOperation = defineOperation({
  name: 'netem',
  output: '`{ set, cleared }` or `{ shaped }` with `--show`',
  summary: SUMMARIES.netem,
  usage: `ID NET [--delay=50ms] [--jitter=5ms] [--loss=1%] [--rate=10mbit]
       xcluster netem ID NET --clear
       xcluster netem --show`,
  help: `Shapes what VM ID sends on net NET with tc netem: on the NIC's tap on the host where the network
backend has one (bridges, OVS) and the host's kernel has netem, else on its interface in the VM.
A new setting replaces the NIC's old one; --clear removes it; --show lists every shaped NIC of
the running VMs. Times are tc's (50ms, 200us, 1.5s, at most 60s); --jitter needs --delay.`,
  flags: FLAGS,
  complete: (input, index) => (index === 0 ? runningVmIds(input) : []),
  async run(input): Promise<{ shaped: Shaped[] } | { set: Shaped; cleared: boolean }> {
    const cluster = await clusterOf(input)
    if (input.flags.show) {
      const shaped = await cluster.shapedNics()
      return {
        shaped: shaped.map(({ node, nic, netem, place }) => ({
          hostname: node.hostname,
          net: nic.net,
          ifname: nic.ifname,
          netem,
          place: placeName(place),
        })),
      }
    }
    const id = nodeIdArg(input.args, 'netem')
    const netWord = input.args[1]
    if (netWord === undefined || !/^\d{1,3}$/.test(netWord))
      throw new XclusterError(`netem needs a node id and a net number: \`xcluster netem ${id} 1 --delay=50ms\``)
    const { delay, jitter, loss, rate } = input.flags
    const settings: NetemSettings = { delay, jitter, loss, rate }
    const clear = input.flags.clear === true
    if (clear && Object.values(settings).some((v) => v !== undefined))
      throw new XclusterError('--clear removes the shaping: give it alone')
    const { node, nic, place, words } = await cluster.shape(id, Number(netWord), clear ? undefined : settings)
    const set = { hostname: node.hostname, net: nic.net, ifname: nic.ifname, netem: words.slice(1).join(' ') }
    return { set: { ...set, place: placeName(place) }, cleared: clear }
  },
  present(result) {
    if ('set' in result) {
      const { hostname, net, netem, place } = result.set
      return { text: `${hostname} net ${net}: ${result.cleared ? 'shaping removed' : netem} (${place})\n` }
    }
    const lines = result.shaped.map(
      ({ hostname, net, ifname, netem, place }) => `${hostname}  net ${net}  ${ifname}  ${netem}  (${place})\n`,
    )
    return { text: lines.join('') || 'no NIC of a running VM is shaped\n' }
  },
})
