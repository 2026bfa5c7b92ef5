import { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable'
import type { ClusterConfig } from '../config/types.js'
import { XclusterError } from '../errors.js'
import { type Node, clusterNodes } from '../node/node.js'
import { qemuArgv } from '../qemu/argv.js'
import type { ClusterContext, Endpoint, NetArgs, NodeNet, Overlay } from './context.js'
import { type Plugin, assertCompatible } from './plugin.js'

function createHooks() {
  return Object.freeze({
    /** Before any VM starts: make the host side of the nets exist (netns checks, bridges, DNS). */
    beforeNet: new AsyncSeriesHook<[ClusterContext]>(['context']),
    /**
     * For one (node, net): return the qemu words that attach that NIC. The first tap that returns
     * a value wins; return undefined to leave the net to the next backend.
     */
    netSetup: new AsyncSeriesBailHook<[NodeNet], NetArgs | undefined>(['nodeNet']),
    /** The whole qemu argv of one node; each tap returns the argv, changed or not. */
    kvmArgs: new AsyncSeriesWaterfallHook<[string[], Node, ClusterContext]>(['argv', 'node', 'context']),
    /** Before the cdrom is packed: return the overlay list with this plugin's overlays added. */
    overlays: new AsyncSeriesWaterfallHook<[Overlay[], ClusterContext]>(['overlays', 'context']),
    /**
     * Where the host reaches a guest port (22 ssh, 23 telnet) of a node; the network backend answers,
     * e.g. 127.0.0.1:(12300+I) in user-space mode or 192.168.0.I:22 on bridges.
     */
    hostEndpoint: new AsyncSeriesBailHook<[Node, number, ClusterContext], Endpoint | undefined>(['node', 'guestPort', 'context']),
    /** Lines about the cluster's services for `xcluster status`; each tap returns the lines with its own added. */
    report: new AsyncSeriesWaterfallHook<[string[], ClusterContext]>(['lines', 'context']),
    /**
     * After the VMs run and answer, and on a start that found them all running: start or restart
     * services, report. Taps run in parallel.
     */
    afterStart: new AsyncParallelHook<[ClusterContext]>(['context']),
    /** Before the VMs of a stop are ended. */
    beforeStop: new AsyncSeriesHook<[ClusterContext]>(['context']),
    /** After one VM's process is gone (stopped, scaled in, or found dead): remove what it used. */
    nodeStopped: new AsyncSeriesHook<[Node, ClusterContext]>(['node', 'context']),
    /** After every VM of a stop is gone: remove the host side of the nets. */
    afterStop: new AsyncSeriesHook<[ClusterContext]>(['context']),
  })
}

export type ClusterHooks = ReturnType<typeof createHooks>

/** One cluster's lifecycle: its hooks, tapped by plugins, and the command line of each node. */
export class Cluster {
  readonly hooks: ClusterHooks = createHooks()
  readonly nodes: Node[]

  constructor(
    readonly config: ClusterConfig,
    readonly plugins: Plugin[],
  ) {
    this.nodes = clusterNodes(config)
    for (const plugin of plugins) {
      assertCompatible(plugin)
      plugin.apply(this)
    }
  }

  /** The qemu argv of one node: the base words, each NIC from `netSetup` in NIC order, then `kvmArgs`. */
  async argvOf(node: Node, context: ClusterContext): Promise<string[]> {
    const nicArgs: string[] = []
    for (const nic of node.nics) {
      const args = await this.hooks.netSetup.promise({ node, nic, context })
      if (!args) {
        throw new XclusterError(`no network backend attached net ${nic.net} of ${node.hostname}: add a backend plugin such as bridge() or userspace()`)
      }
      nicArgs.push(...args)
    }
    return this.hooks.kvmArgs.promise(qemuArgv(node, context, nicArgs), node, context)
  }

  /** The host address and port of a guest port of a node, as the network backend says. */
  async endpointOf(node: Node, guestPort: number, context: ClusterContext): Promise<Endpoint> {
    const endpoint = await this.hooks.hostEndpoint.promise(node, guestPort, context)
    if (!endpoint) throw new XclusterError(`no network backend tells how to reach port ${guestPort} of ${node.hostname}`)
    return endpoint
  }
}
