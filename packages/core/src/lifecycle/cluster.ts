import { restorable, saveClusterSnapshot, setClocks } from '../snapshot/cluster-snapshot.js'
import { snapshotCdrom } from '../snapshot/snapshot-files.js'
import { existsSync } from 'node:fs'
import { access, copyFile } from 'node:fs/promises'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import { CommandFailed, type Host, type RunOptions } from '../host/host.js'
import { hostname } from '../node/addressing.js'
import { type Nic, type Node, clusterNodes, nodeOf } from '../node/node.js'
import { buildCdrom } from '../overlay/cdrom.js'
import { cdromPath } from '../qemu/state-files.js'
import { tarScriptEnvironment } from '../overlay/tar-script.js'
import { type OverlayPlaces, clusterOverlays, selectedOverlays } from '../overlay/cluster-overlays.js'
import { type NetworkPicture, defaultPicture } from '../picture/network-picture.js'
import { qemuArgv } from '../qemu/argv.js'
import { assertMemoryFits } from '../qemu/kernel-memory.js'
import { type ClusterRecord, removeClusterRecord, writeClusterRecord } from '../runtime/cluster-record.js'
import { readNodeRecord, removeNodeRecord, writeNodeRecord } from '../runtime/node-record.js'
import { ensureStateDir, isStateDir } from '../runtime/state-dir.js'
import { startNodes } from '../runtime/start-nodes.js'
import { removeClusterFiles, stopNodes } from '../runtime/stop-nodes.js'
import { type VmState, knownNodes, vmPaused, vmStates } from '../runtime/vm-states.js'
import { runningVms, vmProcess } from '../vm/processes.js'
import { sshWords } from '../vm/ssh.js'
import { sshKeyPath } from '../workspace/ssh-key.js'
import type { NetemSettings } from '../net/netem-settings.js'
import { type CaptureOptions, capture, endCapture, startCapture } from './capture.js'
import { type NicShaping, type ShapedNic, shapeNic, shapedNics } from './shaping.js'
import { pauseVm, resetVm, resumeVm } from '../runtime/vm-control.js'
import { setLink } from '../runtime/links.js'
import { noteNetCarriers } from '../net/net-carriers.js'
import { netSetupScript } from '../net/net-setup-script.js'
import { imageFiles } from '@xcluster/image'
import { type ChosenKernel, chooseKernel, kernelLabel } from '../workspace/choose-kernel.js'
import { type ImagePaths, ensureImage } from '../workspace/ensure-image.js'
import type { ClusterContext, Endpoint, Overlay, ReportLine } from '../contract/context.js'
import { type ClusterHooks, type HookedCluster, checkKvmArgsTaps, createHooks } from '../contract/hooks.js'
import type { Plugin } from '../contract/plugin.js'

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

/** What a start or scaleout did: the VMs it booted, and those it refused because they run. */
export interface LaunchResult {
  started: Node[]
  refused: { node: Node; pid: number }[]
}

export interface ClusterStatus {
  vms: VmState[]
  /** What each running VM boots: `kernel` of VmState, named (built 6.1.192, Debian's cloud kernel, a path). */
  kernels: Map<string, string>
  /** The plugins' lines about the cluster's services. */
  report: ReportLine[]
}

const byId = (nodes: Node[]) => [...new Map(nodes.map((node) => [node.id, node])).values()].sort((a, b) => a.id - b.id)

/**
 * One cluster and its whole lifecycle: the plugins tap its hooks once, then each method is one
 * run (start, scaleout, stop, status) with one context: `nodes` is the whole cluster as the state
 * directory records it, `targets` the VMs this run starts or stops.
 */
export class Cluster implements HookedCluster {
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
   * start would refuse before booting (memory the kernel cannot boot in, overlays not found, a snapshot that cannot be
   * restored) is refused here too.
   */
  async plan(
    options: { snapshot?: string } = {},
  ): Promise<{ kernel: ChosenKernel; plans: { node: Node; argv: string[] }[] }> {
    const nodes = options.snapshot ? (await restorable(this, options.snapshot)).nodes : this.plannedNodes()
    const kernel = await chooseKernel(this.config, imageFiles(this.config.workspace).kernel)
    if (existsSync(kernel.path) && existsSync(this.config.initrd))
      await assertMemoryFits(nodes, kernel.path, this.config.initrd)
    await selectedOverlays(this.config, this.overlayPlaces, this.options.log)
    const context = this.context(nodes, nodes, this.config.cdrom)
    const planned = { ...context, config: { ...context.config, kernel: kernel.path } }
    const plans = []
    for (const node of nodes) plans.push({ node, argv: await this.argvOf(node, planned) })
    return { kernel, plans }
  }

  /**
   * Boots every planned VM. With `restart`, a cluster that runs (any VM of it) is stopped first, as
   * the shell tool does; else VMs that run are refused one by one. A recorded VM
   * the config no longer has is removed when dead and kept when it runs (added by scaleout).
   * When everything runs already, afterStart still runs so plugins restart dead services.
   */
  async start(options: { restart?: boolean; snapshot?: string } = {}): Promise<LaunchResult> {
    const { stateDir } = this.config
    // A snapshot brings back the cluster it was taken of, when it was taken of this one's kernel, image and plugins.
    const restore = options.snapshot ? await restorable(this, options.snapshot) : undefined
    const planned = restore?.nodes ?? this.plannedNodes()
    // Checked before a running cluster is stopped for the restart: a start that cannot boot changes nothing.
    const { paths, kernel } = await ensureImage(this.host, this.config, this.options.log)
    this.image = paths
    if (kernel.note) this.options.log(kernel.note)
    await assertMemoryFits(planned, paths.kernel, paths.initrd)
    const userOverlays = await selectedOverlays(this.config, this.overlayPlaces, this.options.log)
    let known = await knownNodes(this.config, await readNodeRecord(stateDir))
    let running = await runningVms(
      stateDir,
      byId([...known, ...planned]).map((node) => node.id),
    )
    if (options.restart && running.size > 0) {
      this.options.log(`the cluster runs (${[...running.keys()].map(hostname).join(', ')}): stopping it to start again`)
      await this.stop()
      known = []
      running = new Map()
    }
    const plannedIds = new Set(planned.map((node) => node.id))
    const strays = known.filter((node) => !plannedIds.has(node.id) && !running.has(node.id))
    if (strays.length > 0) await stopNodes(this, this.context(known, strays))
    const extra = known.filter((node) => !plannedIds.has(node.id) && running.has(node.id))
    const kept = (node: Node) => (running.has(node.id) ? (known.find((k) => k.id === node.id) ?? node) : node)
    const nodes = byId([...planned.map(kept), ...extra])
    const refused = planned
      .filter((node) => running.has(node.id))
      .map((node) => ({ node, pid: running.get(node.id)!.pid }))
    const targets = planned.filter((node) => !running.has(node.id))
    const { cdrom } = this.config
    const context = this.context(nodes, targets, cdrom)
    if (targets.length === 0) {
      if (refused.length === 0) throw new XclusterError('the cluster has no nodes: set nodes, routers or testers')
      await this.hooks.afterStart.promise(context)
      return { started: [], refused }
    }
    const fresh = refused.length === 0 && extra.length === 0
    const overlays = await clusterOverlays(this, context, userOverlays)
    // A directory that is not xcluster's is refused before anything is written or cleaned in it.
    await ensureStateDir(stateDir)
    try {
      await writeClusterRecord(
        stateDir,
        this.options.record ?? { packages: [], plugins: this.plugins.map((plugin) => plugin.name) },
      )
      await writeNodeRecord(stateDir, nodes)
      const prepare = restore ? () => copyFile(snapshotCdrom(restore.dir), cdrom) : () => this.packCdrom(overlays)
      await startNodes(this, context, fresh, prepare, restore)
      if (restore) await setClocks(this, targets)
    } catch (error) {
      if (fresh) {
        await removeClusterRecord(stateDir)
        await removeNodeRecord(stateDir)
        await removeClusterFiles(stateDir)
      } else
        await writeNodeRecord(
          stateDir,
          nodes.filter((node) => !targets.includes(node)),
        )
      throw error
    }
    return { started: targets, refused }
  }

  /**
   * Saves the running cluster as snapshot `name` under the workspace: every VM's memory, devices and disk, the cdrom,
   * and what it was taken of. Every recorded VM must run; they run on after the save.
   */
  saveSnapshot(name: string): Promise<string> {
    return saveClusterSnapshot(this, name)
  }

  /** Boots these VMs with the role and nets of their number and the cluster's cdrom; those that run are refused. */
  async scaleOut(ids: number[]): Promise<LaunchResult> {
    const { stateDir } = this.config
    // A VM of the record that went down comes back as it was started (its nets, memory, CPUs), not as the config says.
    const recorded = await readNodeRecord(stateDir)
    const wanted = byId(ids.map((id) => recorded.find((node) => node.id === id) ?? nodeOf(this.config, id)))
    const running = await runningVms(
      stateDir,
      wanted.map((node) => node.id),
    )
    const targets = wanted.filter((node) => !running.has(node.id))
    const refused = wanted
      .filter((node) => running.has(node.id))
      .map((node) => ({ node, pid: running.get(node.id)!.pid }))
    if (targets.length === 0) return { started: [], refused }
    const targetIds = new Set(targets.map((node) => node.id))
    const nodes = byId([...recorded.filter((node) => !targetIds.has(node.id)), ...targets])
    const { cdrom } = this.config
    const hasCdrom = await access(cdrom).then(
      () => true,
      () => false,
    )
    this.image = (await ensureImage(this.host, this.config, this.options.log)).paths
    await assertMemoryFits(targets, this.image.kernel, this.image.initrd)
    const context = this.context(nodes, targets, hasCdrom ? cdrom : undefined)
    // The cluster's own cdrom is packed again with the new VMs in it (their nets' plans, /etc/hosts);
    // running VMs keep the one they opened. A cdrom of the user's (__cdrom) is theirs to make.
    if (hasCdrom && cdrom === cdromPath(stateDir))
      await this.packCdrom(
        // The start said which overlays it used; the new VMs get the same, quietly.
        await clusterOverlays(this, context, await selectedOverlays(this.config, this.overlayPlaces, () => {})),
      )
    try {
      await writeNodeRecord(stateDir, nodes)
      await startNodes(this, context, false)
    } catch (error) {
      await writeNodeRecord(
        stateDir,
        recorded.filter((node) => !targetIds.has(node.id)),
      )
      throw error
    }
    return { started: targets, refused }
  }

  /**
   * Ends VMs and removes what they used. Without ids, the whole cluster: beforeStop, every VM,
   * afterStop, then its files. With ids, those VMs only (scalein); ids the cluster does not have
   * are returned as unknown.
   */
  async stop(ids?: number[]): Promise<{ stopped: Node[]; unknown: number[] }> {
    const { stateDir } = this.config
    // Only a directory xcluster made holds files it may remove.
    if (!(await isStateDir(stateDir))) return { stopped: [], unknown: ids ?? [] }
    // A record that cannot be read must not keep the cluster from being stopped.
    const recorded = await readNodeRecord(stateDir).catch(() => [] as Node[])
    const known = await knownNodes(this.config, recorded)
    if (ids === undefined) {
      const context = this.context(known, known)
      await this.hooks.beforeStop.promise(context)
      await stopNodes(this, context)
      await this.hooks.afterStop.promise(context)
      await removeClusterRecord(stateDir)
      await removeNodeRecord(stateDir)
      await removeClusterFiles(stateDir)
      return { stopped: known, unknown: [] }
    }
    const wanted = new Set(ids)
    const targets = known.filter((node) => wanted.has(node.id))
    const remaining = known.filter((node) => !wanted.has(node.id))
    await stopNodes(this, this.context(remaining, targets))
    await writeNodeRecord(
      stateDir,
      recorded.filter((node) => !wanted.has(node.id)),
    )
    return { stopped: targets, unknown: ids.filter((id) => !targets.some((node) => node.id === id)) }
  }

  /** Which VMs run, and the plugins' report; it changes nothing, a dead VM stays until start or stop deals with it. */
  async status(): Promise<ClusterStatus> {
    const vms = await vmStates(this.config)
    const nodes = vms.map((vm) => vm.node)
    const report = await this.hooks.report.promise([], this.context(nodes, []))
    const paths = new Set(vms.flatMap((vm) => (vm.kernel ? [vm.kernel] : [])))
    const cloud = imageFiles(this.config.workspace).kernel
    const kernels = new Map(
      await Promise.all([...paths].map(async (path) => [path, await kernelLabel(path, this.config, cloud)] as const)),
    )
    return { vms, report, kernels }
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

  /**
   * Flushes a running VM's disks (sync over ssh; a guest that does not answer is said and not waited for), then stops
   * its emulation (QMP stop): its process and the cluster stay, the guest is frozen.
   */
  async pauseVm(id: number): Promise<Node> {
    const node = await this.runningNode(id)
    await this.syncDisks(node)
    return pauseVm(this.config, node)
  }

  /** Takes a running VM's NIC on `net` down or up, as a pulled or plugged cable. */
  async setLink(id: number, net: number, up: boolean): Promise<Node> {
    const node = await this.runningNode(id)
    await setLink(this.config.stateDir, node, net, up)
    return node
  }

  /** Lets a paused VM run on (QMP cont). */
  async resumeVm(id: number): Promise<Node> {
    return resumeVm(this.config, await this.runningNode(id))
  }

  /**
   * Resets a running or paused VM (QMP system_reset, then cont) and waits until it is up again; a running one flushes
   * its disks first.
   */
  async resetVm(id: number): Promise<Node> {
    const node = await this.runningNode(id)
    if (!(await vmPaused(this.config.stateDir, id))) await this.syncDisks(node)
    return resetVm(this.config, node)
  }

  /** What the guest wrote is flushed to its disk, as the shell tool did before freezing or resetting a VM. */
  private async syncDisks(node: Node): Promise<void> {
    await this.inVm(node.id, 'sync').catch((error: unknown) => {
      if (!(error instanceof CommandFailed)) throw error
      const said = error.stderr.trim().split('\n').at(-1) || `exit ${error.exitCode}`
      this.options.log(`${node.hostname} did not sync its disks (${said}); going on`)
    })
  }

  /** The ssh words that reach root on a running VM, through the endpoint its network backend names. */
  async sshArgs(id: number): Promise<string[]> {
    return sshWords(await this.endpointOf(await this.runningNode(id), 22), sshKeyPath(this.config.workspace))
  }

  /** Runs a shell script as root in a running VM over ssh; returns its stdout, or throws CommandFailed. */
  async inVm(id: number, script: string, options?: RunOptions): Promise<string> {
    return this.host.run('ssh', [...(await this.sshArgs(id)), script], options)
  }

  /** The host side of a NIC (its tap) where the network backend has one. */
  hostLink(node: Node, nic: Nic): Promise<string | undefined> {
    return this.hooks.hostLink.promise(node, nic, this.context([node], []))
  }

  /** The VMs that run and are not paused. */
  async runningNodes(): Promise<Node[]> {
    const { vms } = await this.status()
    return vms.filter((vm) => vm.pid !== undefined && !vm.paused).map((vm) => vm.node)
  }

  /**
   * Shapes what VM `id` sends on `net` with tc netem, or removes the shaping without settings: on the NIC's tap on the
   * host where the backend has one and the host's kernel has netem, else in the guest.
   */
  shape(id: number, net: number, settings?: NetemSettings): Promise<NicShaping> {
    return shapeNic(this, id, net, settings, this.options.log)
  }

  /** Every running VM's shaped NICs, with what netem does there. */
  shapedNics(): Promise<ShapedNic[]> {
    return shapedNics(this)
  }

  /** Captures packets on IFACE of VM `id` into the open file `fd` (tcpdump in the guest, pcap out). */
  capture(id: number, iface: string, fd: number, options: CaptureOptions = {}): Promise<void> {
    return capture(this, id, iface, fd, options)
  }

  /** Leaves a capture running on IFACE of VM `id`; `endCapture` ends it. */
  startCapture(id: number, iface: string, filter?: string[]): Promise<void> {
    return startCapture(this, id, iface, filter)
  }

  /** Ends the capture `startCapture` began, writing its pcap to `fd`, or dropping it without one. */
  endCapture(id: number, iface: string, fd?: number): Promise<void> {
    return endCapture(this, id, iface, fd)
  }

  /** A node that runs, as recorded at its start; an error says so when it does not run. */
  async runningNode(id: number): Promise<Node> {
    const node = (await readNodeRecord(this.config.stateDir)).find((n) => n.id === id)
    if (!node || !(await vmProcess(this.config.stateDir, id)))
      throw new XclusterError(`${hostname(id)} is not running (see \`xcluster status\`)`)
    return node
  }

  /** The qemu argv of one node: the base words, each NIC from `netSetup` in NIC order, then `kvmArgs`. */
  async argvOf(node: Node, context: ClusterContext): Promise<string[]> {
    const nicArgs: string[] = []
    for (const nic of node.nics) {
      const args = await this.hooks.netSetup.promise({ node, nic, context })
      if (!args) {
        throw new XclusterError(
          `no network backend attached net ${nic.net} of ${node.hostname}: add a backend plugin such as bridge() or` +
            ` userspace()`,
        )
      }
      nicArgs.push(...args)
    }
    return this.hooks.kvmArgs.promise(qemuArgv(node, context, nicArgs), node, context)
  }

  /** The host address and port of a guest port of a node, as the network backend says. */
  async endpointOf(node: Node, guestPort: number): Promise<Endpoint> {
    const endpoint = await this.hooks.hostEndpoint.promise(node, guestPort, this.context([node], []))
    if (!endpoint)
      throw new XclusterError(`no network backend tells how to reach port ${guestPort} of ${node.hostname}`)
    return endpoint
  }
}
