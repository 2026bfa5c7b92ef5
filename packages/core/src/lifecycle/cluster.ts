import { saveClusterSnapshot } from '../snapshot/cluster-snapshot.js'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import type { Host, RunOptions } from '../host/host.js'
import { type Nic, type Node, clusterNodes } from '../node/node.js'
import { buildCdrom } from '../overlay/cdrom.js'
import { tarScriptEnvironment } from '../overlay/tar-script.js'
import type { OverlayPlaces } from '../overlay/cluster-overlays.js'
import { type NetworkPicture, defaultPicture } from '../picture/network-picture.js'
import type { ClusterRecord } from '../runtime/cluster-record.js'
import type { NetemSettings } from '../net/netem-settings.js'
import { type NicShaping, type ShapedNic, shapeNic, shapedNics } from './shaping.js'
import { noteNetCarriers } from '../net/net-carriers.js'
import { netSetupScript } from '../net/net-setup-script.js'
import type { ChosenKernel } from '../workspace/choose-kernel.js'
import type { ImagePaths } from '../workspace/ensure-image.js'
import type { ClusterContext, Endpoint, Overlay } from '../contract/context.js'
import { type ClusterHooks, checkKvmArgsTaps, createHooks } from '../contract/hooks.js'
import type { Plugin } from '../contract/plugin.js'
import { type ClusterStatus, clusterStatus } from './cluster-status.js'
import { planCluster } from './plan-cluster.js'
import { RunningVm } from './running-vm.js'
import { scaleOut } from './scale-out.js'
import { startCluster } from './start-cluster.js'
import { stopCluster } from './stop-cluster.js'
import type { ClusterRun, LaunchResult } from './cluster-run.js'

export type { ClusterStatus } from './cluster-status.js'
export type { LaunchResult } from './cluster-run.js'

export interface ClusterOptions {
  host: Host
  /** Where relative overlay paths are found: the user's working directory. */
  cwd: string
  /** Project directories whose dependencies may be overlay packages (none when not given). */
  projects?: string[]
  /** What a start records for the commands after it; by default the names of `plugins`. */
  record?: ClusterRecord
  /** Progress for the user. */
  log(message: string): void
}

/**
 * One cluster and its whole lifecycle: the plugins tap its hooks once, then each method is one
 * run (start, scaleout, stop, status) with one context: `nodes` is the whole cluster as the state
 * directory records it, `targets` the VMs this run starts or stops. Each run's steps are a module of their own
 * (start-cluster, scale-out, stop-cluster, cluster-status, plan-cluster; a running VM is a RunningVm).
 */
export class Cluster implements ClusterRun {
  readonly hooks: ClusterHooks = createHooks()
  /** The image a start or scaleout made sure of, as it is on disk; the config's paths until then. */
  private image?: ImagePaths
  /** Which plugin answered each netSetup question. */
  private readonly carriers = noteNetCarriers(this.hooks)

  /** `plugins` come from resolvePlugins, which has checked each one's shape and coreRange. */
  constructor(
    readonly config: ClusterConfig,
    readonly plugins: Plugin[],
    private readonly options: ClusterOptions,
  ) {
    checkKvmArgsTaps(this.hooks)
    // The __net_setup script answers for every NIC before any plugin (the shell tool's contract).
    if (config.netSetupScript) netSetupScript(config.netSetupScript).apply(this)
    for (const plugin of plugins) plugin.apply(this)
  }

  get host(): Host {
    return this.options.host
  }

  /** Progress for the user. */
  get log(): (message: string) => void {
    return this.options.log
  }

  /** What a start records for the commands after it. */
  get record(): ClusterRecord {
    return this.options.record ?? { packages: [], plugins: this.plugins.map((plugin) => plugin.name) }
  }

  /** The image a start or scaleout made sure of: the VMs of this run boot it. */
  useImage(paths: ImagePaths): void {
    this.image = paths
  }

  /** Where the user's overlays are found besides the overlay path. */
  get overlayPlaces(): OverlayPlaces {
    return { cwd: this.options.cwd, projects: this.options.projects ?? [] }
  }

  /** The nodes the config describes: what `start` boots. */
  plannedNodes(): Node[] {
    return clusterNodes(this.config)
  }

  /** The context of one run. */
  context(nodes: Node[], targets: Node[], cdrom?: string): ClusterContext {
    // Asked once per net of a run: a backend's picture and report ask it alike.
    const carriers = new Map<number, Promise<string | undefined>>()
    const context: ClusterContext = {
      config: this.image ? { ...this.config, ...this.image } : this.config,
      nodes,
      targets,
      host: this.options.host,
      stateDir: this.config.stateDir,
      netns: this.options.host.netns,
      cdrom,
      log: this.options.log,
      attachedBy: (net) => {
        if (!carriers.has(net)) carriers.set(net, this.carrierOf(net, nodes, context))
        return carriers.get(net)!
      },
    }
    return context
  }

  /** The plugin whose netSetup answers for the NICs of `net`, asked of the first node on it as a start asks. */
  private async carrierOf(net: number, nodes: Node[], context: ClusterContext): Promise<string | undefined> {
    const node = nodes.find((n) => n.nics.some((nic) => nic.net === net))
    const nic = node?.nics.find((n) => n.net === net)
    if (!node || !nic) return undefined
    const question = { node, nic, context }
    await this.hooks.netSetup.promise(question)
    return this.carriers.get(question)
  }

  /**
   * The kernel and the qemu argv of every planned node, as `start` would run them (the image is not built); what a
   * start would refuse is refused here too.
   */
  plan(
    options: { snapshot?: string } = {},
  ): Promise<{ kernel: ChosenKernel; plans: { node: Node; argv: string[] }[] }> {
    return planCluster(this, options)
  }

  /**
   * Boots every planned VM, or brings back those of a snapshot. With `restart`, a cluster that runs is stopped first;
   * else VMs that run are refused one by one.
   */
  start(options: { restart?: boolean; snapshot?: string } = {}): Promise<LaunchResult> {
    return startCluster(this, options)
  }

  /** Boots these VMs with the role and nets of their number and the cluster's cdrom; those that run are refused. */
  scaleOut(ids: number[]): Promise<LaunchResult> {
    return scaleOut(this, ids)
  }

  /** Ends the whole cluster, or the VMs `ids` (scalein), and removes what they used. */
  stop(ids?: number[]): Promise<{ stopped: Node[]; unknown: number[] }> {
    return stopCluster(this, ids)
  }

  /** Which VMs run, and the plugins' report; it changes nothing. */
  status(): Promise<ClusterStatus> {
    return clusterStatus(this)
  }

  /**
   * Saves the running cluster as snapshot `name` under the workspace: every VM's memory, devices and disk, the cdrom,
   * and what it was taken of. Every recorded VM must run; they run on after the save.
   */
  saveSnapshot(name: string): Promise<string> {
    return saveClusterSnapshot(this, name)
  }

  /**
   * The picture of `nodes` (the planned ones when not given) as the plugins describe it; `states`
   * (running, paused, dead) are drawn when given.
   */
  async picture(title: string, nodes = this.plannedNodes(), states?: Map<number, string>): Promise<NetworkPicture> {
    return this.hooks.picture.promise(defaultPicture(this.config, title, nodes, states), this.context(nodes, []))
  }

  /**
   * Packs overlays into the cluster's cdrom; tar scripts see the host's environment and the settings under their
   * shell names.
   */
  async packCdrom(overlays: Overlay[]): Promise<void> {
    await buildCdrom(this.host, overlays, this.config.cdrom, tarScriptEnvironment(this.config, this.host.env))
  }

  /** A VM that runs, with what can be done to it; an error says so when it does not run. */
  vm(id: number): Promise<RunningVm> {
    return RunningVm.of(this, id)
  }

  /** Flushes a running VM's disks, then freezes it (QMP stop). */
  async pauseVm(id: number): Promise<Node> {
    return (await this.vm(id)).pause()
  }

  /** Lets a paused VM run on (QMP cont). */
  async resumeVm(id: number): Promise<Node> {
    return (await this.vm(id)).resume()
  }

  /** Resets a running or paused VM (QMP system_reset, then cont) and waits until it is up again. */
  async resetVm(id: number): Promise<Node> {
    return (await this.vm(id)).reset()
  }

  /** Takes a running VM's NIC on `net` down or up, as a pulled or plugged cable. */
  async setLink(id: number, net: number, up: boolean): Promise<Node> {
    return (await this.vm(id)).setLink(net, up)
  }

  /** The ssh words that reach root on a running VM. */
  async sshArgs(id: number): Promise<string[]> {
    return (await this.vm(id)).sshArgs()
  }

  /** Runs a shell script as root in a running VM over ssh; returns its stdout, or throws CommandFailed. */
  async inVm(id: number, script: string, options?: RunOptions): Promise<string> {
    return (await this.vm(id)).run(script, options)
  }

  /** A node that runs, as recorded at its start; an error says so when it does not run. */
  async runningNode(id: number): Promise<Node> {
    return (await this.vm(id)).node
  }

  /** The VMs that run and are not paused. */
  async runningNodes(): Promise<Node[]> {
    const { vms } = await this.status()
    return vms.filter((vm) => vm.pid !== undefined && !vm.paused).map((vm) => vm.node)
  }

  /** The host side of a NIC (its tap) where the network backend has one. */
  hostLink(node: Node, nic: Nic): Promise<string | undefined> {
    return this.hooks.hostLink.promise(node, nic, this.context([node], []))
  }

  /** The host address and port of a guest port of a node, as the network backend says. */
  async endpointOf(node: Node, guestPort: number): Promise<Endpoint> {
    const endpoint = await this.hooks.hostEndpoint.promise(node, guestPort, this.context([node], []))
    if (!endpoint)
      throw new XclusterError(`no network backend tells how to reach port ${guestPort} of ${node.hostname}`)
    return endpoint
  }

  /**
   * Shapes what VM `id` sends on `net` with tc netem, or removes the shaping without settings: on the NIC's tap on the
   * host where the backend has one and the host's kernel has netem, else in the guest.
   */
  shape(id: number, net: number, settings?: NetemSettings): Promise<NicShaping> {
    return shapeNic(this, id, net, settings, this.log)
  }

  /** Every running VM's shaped NICs, with what netem does there. */
  shapedNics(): Promise<ShapedNic[]> {
    return shapedNics(this)
  }
}
