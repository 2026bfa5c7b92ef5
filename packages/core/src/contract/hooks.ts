import { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable'
import type { ClusterConfig } from './settings.js'
import { XclusterError } from '../errors.js'
import type { Nic, Node } from './node.js'
import type { NetworkPicture } from './picture.js'
import type { ClusterContext, Endpoint, NetArgs, NodeNet, Overlay, ReportLine } from './context.js'
import type { VmLaunch } from './vm-launch.js'

/** The extension points of a cluster's lifecycle, in the order a start meets them. */
export function createHooks() {
  return Object.freeze({
    /** Before the VMs of a start or scaleout boot (`context.targets`): make the host side of their nets exist. */
    beforeNet: new AsyncSeriesHook<[ClusterContext]>(['context']),
    /**
     * For one (node, net): return the qemu words that attach that NIC. The first tap that returns
     * a value wins; return undefined to leave the net to the next backend.
     */
    netSetup: new AsyncSeriesBailHook<[NodeNet], NetArgs | undefined>(['nodeNet']),
    /** The whole qemu argv of one node; each tap returns the argv, changed or not. */
    kvmArgs: new AsyncSeriesWaterfallHook<[string[], Node, ClusterContext]>(['argv', 'node', 'context']),
    /**
     * Runs the qemu of one VM: its launch is the argv kvmArgs made (qemu daemonizes once the VM is set up), the VM's
     * files and what it boots, and that argv for other paths (`argvWith`, for a VM run on another machine).
     * The first tap that returns true has launched it itself: under a wrapper, in another way, or
     * another emulator, on another machine. The process standing for the VM has its pid in `files.pid`
     * and names that file as one word of its own argv: core finds, checks and ends the VM by it. No tap: core runs
     * the argv.
     */
    launch: new AsyncSeriesBailHook<[VmLaunch, Node, ClusterContext], true | undefined>(['vm', 'node', 'context']),
    /** Before the cdrom is packed: return the overlay list with this plugin's overlays added. */
    overlays: new AsyncSeriesWaterfallHook<[Overlay[], ClusterContext]>(['overlays', 'context']),
    /**
     * Where the host reaches a guest port (22 ssh, 23 telnet) of a node; the network backend answers,
     * e.g. 127.0.0.1:(12300+I) in user-space mode or 192.168.0.I:22 on bridges.
     */
    hostEndpoint: new AsyncSeriesBailHook<[Node, number, ClusterContext], Endpoint | undefined>([
      'node',
      'guestPort',
      'context',
    ]),
    /**
     * What a drawing of the network shows (`status --svg`, `topology show --svg`): core fills in
     * nodes, NICs and addresses from the node numbers; a backend names what carries each net, a
     * topology writes its own addresses. Each tap returns the picture, changed or not.
     */
    picture: new AsyncSeriesWaterfallHook<[NetworkPicture, ClusterContext]>(['picture', 'context']),
    /**
     * The host's own interface of a node's NIC (a tap), in the namespace xcluster runs in, for
     * `xcluster netem` to shape; undefined when the NIC has none (a user-space net): the guest shapes it.
     */
    hostLink: new AsyncSeriesBailHook<[Node, Nic, ClusterContext], string | undefined>(['node', 'nic', 'context']),
    /**
     * Lines about the cluster's services for `xcluster status`; each tap returns the lines with its
     * own added. A line with a `problem` (a service of the cluster that is dead or misplaced) makes
     * status exit 1 and print the problem, which says how to fix it.
     */
    report: new AsyncSeriesWaterfallHook<[ReportLine[], ClusterContext]>(['lines', 'context']),
    /**
     * After the VMs of a start or scaleout run and answer, and on a start that found them all
     * running: start, restart or refresh services for `context.nodes`. Taps run in parallel.
     */
    afterStart: new AsyncParallelHook<[ClusterContext]>(['context']),
    /** Before the VMs of a whole-cluster stop are ended. */
    beforeStop: new AsyncSeriesHook<[ClusterContext]>(['context']),
    /** After one VM's process is gone (stopped, scaled in, or found dead): remove what it used. */
    nodeStopped: new AsyncSeriesHook<[Node, ClusterContext]>(['node', 'context']),
    /** After every VM of a whole-cluster stop is gone: remove the host side of the nets. */
    afterStop: new AsyncSeriesHook<[ClusterContext]>(['context']),
  })
}

export type ClusterHooks = ReturnType<typeof createHooks>

/** What the runtime steps need of a cluster: its hooks. */
export interface HookedCluster {
  readonly hooks: ClusterHooks
}

/** What a plugin's apply() gets: the hooks to tap and the cluster's settings. */
export interface PluginTarget {
  readonly hooks: ClusterHooks
  readonly config: ClusterConfig
}

/**
 * Checks what each kvmArgs tap returns, naming the plugin: a tap that returns anything but the
 * argv (a list of strings) is an error of that plugin, not `argv.map is not a function` later.
 */
export function checkKvmArgsTaps(hooks: ClusterHooks): void {
  const checked = (name: string, argv: unknown, node: Node): string[] => {
    if (Array.isArray(argv) && argv.every((word) => typeof word === 'string')) return argv
    throw new XclusterError(
      `plugin ${name}: its kvmArgs tap returned ${String(JSON.stringify(argv)).slice(0, 80)} for ${node.hostname}; it` +
        ` must return the argv, a list of strings`,
    )
  }
  hooks.kvmArgs.intercept({
    register: (tap) => {
      const fn = tap.fn as (...args: unknown[]) => unknown
      if (tap.type === 'sync')
        return {
          ...tap,
          fn: (argv: string[], node: Node, context: ClusterContext) => checked(tap.name, fn(argv, node, context), node),
        }
      if (tap.type === 'promise')
        return {
          ...tap,
          fn: async (argv: string[], node: Node, context: ClusterContext) =>
            checked(tap.name, await fn(argv, node, context), node),
        }
      return tap
    },
  })
}
