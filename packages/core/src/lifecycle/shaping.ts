import { CommandFailed, type Host } from '../host/host.js'
import { type NetemSettings, netemShown, netemWords } from '../net/netem-settings.js'
import type { Nic, Node } from '../node/node.js'
import { XclusterError } from '../errors.js'

/** Where a NIC is shaped: its tap on the host when the backend has one, else its interface in the guest. */
export type ShapingPlace = { host: string } | { guest: string }

/** One shaped NIC: where, and what netem does there (`delay 50ms`). */
export interface ShapedNic {
  node: Node
  nic: Nic
  place: ShapingPlace
  netem: string
}

/** What shaping asks of a cluster. */
export interface ShapingCluster {
  host: Host
  runningNodes(): Promise<Node[]>
  runningNode(id: number): Promise<Node>
  hostLink(node: Node, nic: Nic): Promise<string | undefined>
  inVm(id: number, script: string): Promise<string>
}

/** Where a NIC was shaped and the netem words set there. */
export interface NicShaping {
  node: Node
  nic: Nic
  place: ShapingPlace
  words: string[]
}

export const placeName = (place: ShapingPlace) =>
  'host' in place ? `host tap ${place.host}` : `${place.guest} in the VM`

const deviceOf = (place: ShapingPlace) => ('host' in place ? place.host : place.guest)

/** Runs `tc WORDS` where the NIC is shaped; the VM's kernel loads sch_netem itself when first asked. */
async function tc(cluster: ShapingCluster, node: Node, place: ShapingPlace, words: string[]): Promise<string> {
  return 'host' in place ? cluster.host.run('tc', words) : cluster.inVm(node.id, ['tc', ...words].join(' '))
}

function nicOn(node: Node, net: number): Nic {
  const nic = node.nics.find((n) => n.net === net)
  if (!nic) {
    const nets = node.nics.map((n) => n.net).join(',')
    throw new XclusterError(`${node.hostname} has no NIC on net ${net} (its nets: ${nets})`)
  }
  return nic
}

/**
 * Shapes what VM `id` sends on `net` with netem (`undefined` settings remove the shaping): on the NIC's tap on the
 * host where the backend has one and the host's kernel has netem, else in the guest. Returns where.
 */
export async function shapeNic(
  cluster: ShapingCluster,
  id: number,
  net: number,
  settings: NetemSettings | undefined,
  log: (message: string) => void,
): Promise<NicShaping> {
  // Checked before anything is asked of the VM.
  const words = settings ? netemWords(settings) : []
  const node = await cluster.runningNode(id)
  const nic = nicOn(node, net)
  const tap = await cluster.hostLink(node, nic)
  let place: ShapingPlace = tap ? { host: tap } : { guest: nic.ifname }
  const verb = settings ? ['replace', 'dev'] : ['del', 'dev']
  const apply = (p: ShapingPlace) => tc(cluster, node, p, ['qdisc', ...verb, deviceOf(p), 'root', ...words])
  try {
    await apply(place).catch(async (error: unknown) => {
      // A host kernel without sch_netem (a container's): the guest's own kernel has it.
      if (!('host' in place) || !(error instanceof CommandFailed) || !/qdisc kind is unknown/.test(error.stderr))
        throw error
      log(`the host's kernel has no netem; shaping ${nic.ifname} in the VM instead`)
      place = { guest: nic.ifname }
      await apply(place)
    })
  } catch (error) {
    // Nothing to remove is what a removal wants.
    const nothing = /Cannot delete qdisc with handle of zero|No such file or directory/
    if (settings || !(error instanceof CommandFailed) || !nothing.test(error.stderr)) throw error
  }
  return { node, nic, place, words }
}

/** Every running VM's shaped NICs with what netem does there (one tc in each VM and one on the host). */
export async function shapedNics(cluster: ShapingCluster): Promise<ShapedNic[]> {
  const onHost = netemShown(await cluster.host.run('tc', ['qdisc', 'show']))
  const shaped: ShapedNic[] = []
  for (const node of await cluster.runningNodes()) {
    // Both places: a NIC with a tap is shaped in the guest when the host's kernel has no netem.
    const inGuest = netemShown(await cluster.inVm(node.id, 'tc qdisc show'))
    for (const nic of node.nics) {
      const tap = await cluster.hostLink(node, nic)
      const hostNetem = tap === undefined ? undefined : onHost.get(tap)
      const netem = hostNetem ?? inGuest.get(nic.ifname)
      const place: ShapingPlace = hostNetem !== undefined && tap ? { host: tap } : { guest: nic.ifname }
      if (netem !== undefined) shaped.push({ node, nic, place, netem })
    }
  }
  return shaped
}
