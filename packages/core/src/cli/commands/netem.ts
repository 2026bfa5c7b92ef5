import { runningVmIds } from '../completion.js'
import { XclusterError } from '../../errors.js'
import { CommandFailed } from '../../host/host.js'
import type { Cluster } from '../../lifecycle/cluster.js'
import { type NetemSettings, netemShown, netemWords } from '../../net/netem-settings.js'
import type { Nic, Node } from '../../node/node.js'
import { type CommandInput, type Flags, defineCommand } from '../command.js'
import { nodeIdArg } from '../node-ids.js'
import { sshTarget } from '../remote-shell.js'
import { clusterOf } from '../cluster-of.js'

const FLAGS = {
  delay: { type: 'string', value: 'TIME', help: 'delay every packet (50ms, 200us, 1.5s; at most 60s)' },
  jitter: { type: 'string', value: 'TIME', help: 'vary the delay by up to TIME (needs --delay)' },
  loss: { type: 'string', value: 'PERCENT', help: 'drop this share of packets (1%)' },
  rate: { type: 'string', value: 'RATE', help: 'limit the rate (10mbit)' },
  clear: { type: 'boolean', help: "remove the NIC's shaping" },
  show: { type: 'boolean', help: 'list every shaped NIC of the running VMs' },
} as const satisfies Flags

/** Where a NIC is shaped: its tap on the host when the backend has one, else its interface in the guest. */
type Place = { host: string } | { guest: string }

const placeName = (place: Place) => ('host' in place ? `host tap ${place.host}` : `${place.guest} in the VM`)

async function placeOf(cluster: Cluster, node: Node, nic: Nic): Promise<Place> {
  const tap = await cluster.hooks.hostLink.promise(node, nic, cluster.context([node], []))
  return tap ? { host: tap } : { guest: nic.ifname }
}

/** Runs `tc WORDS` where the NIC is shaped; the VM's kernel loads sch_netem itself when first asked. */
async function tc(cluster: Cluster, input: CommandInput, node: Node, place: Place, words: string[]): Promise<string> {
  if ('host' in place) return input.host.run('tc', words)
  return input.host.run('ssh', [...(await sshTarget(cluster, node.id)), ['tc', ...words].join(' ')])
}

function nicOn(node: Node, net: number): Nic {
  const nic = node.nics.find((n) => n.net === net)
  if (!nic)
    throw new XclusterError(
      `${node.hostname} has no NIC on net ${net} (its nets: ${node.nics.map((n) => n.net).join(',')})`,
    )
  return nic
}

/**
 * `--show`: every running VM's shaped NICs with what netem does there, one line each (one tc in each VM and one on
 * the host).
 */
async function showAll(cluster: Cluster, input: CommandInput): Promise<number> {
  const { vms } = await cluster.status()
  const onHost = netemShown(await input.host.run('tc', ['qdisc', 'show']).catch(() => ''))
  let shaped = 0
  for (const { node } of vms.filter((vm) => vm.pid !== undefined && !vm.paused)) {
    // Both places: a NIC with a tap is shaped in the guest when the host's kernel has no netem.
    const inGuest = netemShown(await tc(cluster, input, node, { guest: '' }, ['qdisc', 'show']))
    for (const nic of node.nics) {
      const place = await placeOf(cluster, node, nic)
      const [shown, where]: [string | undefined, Place] =
        'host' in place && onHost.has(place.host)
          ? [onHost.get(place.host), place]
          : [inGuest.get(nic.ifname), { guest: nic.ifname }]
      if (shown === undefined) continue
      shaped++
      input.stdout(`${node.hostname}  net ${nic.net}  ${nic.ifname}  ${shown}  (${placeName(where)})\n`)
    }
  }
  if (shaped === 0) input.stdout('no NIC of a running VM is shaped\n')
  return 0
}

export const netemCommand = defineCommand({
  name: 'netem',
  summary: "delay, drop or limit a VM's traffic on one net (tc netem); --show lists what is set",
  usage: `ID NET [--delay=50ms] [--jitter=5ms] [--loss=1%] [--rate=10mbit]
       xcluster netem ID NET --clear
       xcluster netem --show`,
  help: `Shapes what VM ID sends on net NET with tc netem: on the NIC's tap on the host where the network
backend has one (bridges, OVS) and the host's kernel has netem, else on its interface in the VM.
A new setting replaces the NIC's old one; --clear removes it; --show lists every shaped NIC of
the running VMs. Times are tc's (50ms, 200us, 1.5s, at most 60s); --jitter needs --delay.`,
  flags: FLAGS,
  complete: (input, index) => (index === 0 ? runningVmIds(input) : []),
  async run(input) {
    const cluster = await clusterOf(input)
    if (input.flags.show) return showAll(cluster, input)
    const id = nodeIdArg(input.args, 'netem')
    const netWord = input.args[1]
    if (netWord === undefined || !/^\d{1,3}$/.test(netWord))
      throw new XclusterError(`netem needs a node id and a net number: \`xcluster netem ${id} 1 --delay=50ms\``)
    const settings: NetemSettings = {
      delay: input.flags.delay,
      jitter: input.flags.jitter,
      loss: input.flags.loss,
      rate: input.flags.rate,
    }
    const clear = input.flags.clear === true
    if (clear && Object.values(settings).some((v) => v !== undefined))
      throw new XclusterError('--clear removes the shaping: give it alone')
    // Checked before anything is asked of the VM.
    const words = clear ? [] : netemWords(settings)
    const node = await cluster.runningNode(id)
    const nic = nicOn(node, Number(netWord))
    let place = await placeOf(cluster, node, nic)
    const apply = (p: Place) =>
      tc(
        cluster,
        input,
        node,
        p,
        clear
          ? ['qdisc', 'del', 'dev', 'host' in p ? p.host : p.guest, 'root']
          : ['qdisc', 'replace', 'dev', 'host' in p ? p.host : p.guest, 'root', ...words],
      )
    try {
      await apply(place).catch(async (error: unknown) => {
        // A host kernel without sch_netem (a container's): the guest's own kernel has it.
        if (!('host' in place) || !(error instanceof CommandFailed) || !/qdisc kind is unknown/.test(error.stderr))
          throw error
        input.stderr(`xcluster: the host's kernel has no netem; shaping ${nic.ifname} in the VM instead\n`)
        place = { guest: nic.ifname }
        await apply(place)
      })
    } catch (error) {
      // Nothing to remove is what --clear wants.
      if (
        clear &&
        error instanceof CommandFailed &&
        /Cannot delete qdisc with handle of zero|No such file or directory/.test(error.stderr)
      )
        return 0
      throw error
    }
    input.stdout(
      clear
        ? `${node.hostname} net ${nic.net}: shaping removed (${placeName(place)})\n`
        : `${node.hostname} net ${nic.net}: ${words.slice(1).join(' ')} (${placeName(place)})\n`,
    )
    return 0
  },
})
