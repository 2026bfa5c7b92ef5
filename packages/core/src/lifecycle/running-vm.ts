import { XclusterError } from '../errors.js'
import { CommandFailed, type RunOptions } from '../host/host.js'
import { hostname } from '../node/addressing.js'
import type { Node } from '../node/node.js'
import { type VmFiles, vmFiles } from '../qemu/state-files.js'
import { setLink } from '../runtime/links.js'
import { readNodeRecord } from '../runtime/node-record.js'
import { pauseVm, resetVm, resumeVm } from '../runtime/vm-control.js'
import { vmPaused } from '../runtime/vm-states.js'
import { vmProcess } from '../vm/processes.js'
import { sshWords } from '../vm/ssh.js'
import { sshKeyPath } from '../workspace/ssh-key.js'
import type { ClusterRun } from './cluster-run.js'

/** A VM that runs, as recorded at its start: its files, and what can be done to it (QMP, ssh, its links). */
export class RunningVm {
  readonly files: VmFiles

  private constructor(
    private readonly cluster: ClusterRun,
    readonly node: Node,
  ) {
    this.files = vmFiles(cluster.config.stateDir, node.id)
  }

  /** VM `id` of the cluster; an error says so when it does not run. */
  static async of(cluster: ClusterRun, id: number): Promise<RunningVm> {
    const { stateDir } = cluster.config
    const node = (await readNodeRecord(stateDir)).find((n) => n.id === id)
    if (!node || !(await vmProcess(stateDir, id)))
      throw new XclusterError(`${hostname(id)} is not running (see \`xcluster status\`)`)
    return new RunningVm(cluster, node)
  }

  /** The ssh words that reach root on it, through the endpoint its network backend names. */
  async sshArgs(): Promise<string[]> {
    const endpoint = await this.cluster.endpointOf(this.node, 22)
    return sshWords(endpoint, sshKeyPath(this.cluster.config.workspace))
  }

  /** Runs a shell script as root in it over ssh; returns its stdout, or throws CommandFailed. */
  async run(script: string, options?: RunOptions): Promise<string> {
    return this.cluster.host.run('ssh', [...(await this.sshArgs()), script], options)
  }

  /**
   * Flushes its disks (sync over ssh; a guest that does not answer is said and not waited for), then stops its
   * emulation (QMP stop): its process and the cluster stay, the guest is frozen.
   */
  async pause(): Promise<Node> {
    await this.syncDisks()
    return pauseVm(this.cluster.config, this.node)
  }

  /** Lets it run on (QMP cont). */
  resume(): Promise<Node> {
    return resumeVm(this.cluster.config, this.node)
  }

  /** Resets it (QMP system_reset, then cont) and waits until it is up again; a running one flushes its disks first. */
  async reset(): Promise<Node> {
    if (!(await vmPaused(this.cluster.config.stateDir, this.node.id))) await this.syncDisks()
    return resetVm(this.cluster.config, this.node)
  }

  /** Takes its NIC on `net` down or up, as a pulled or plugged cable. */
  async setLink(net: number, up: boolean): Promise<Node> {
    await setLink(this.cluster.config.stateDir, this.node, net, up)
    return this.node
  }

  /** What the guest wrote is flushed to its disk, as the shell tool did before freezing or resetting a VM. */
  private async syncDisks(): Promise<void> {
    await this.run('sync').catch((error: unknown) => {
      if (!(error instanceof CommandFailed)) throw error
      const said = error.stderr.trim().split('\n').at(-1) || `exit ${error.exitCode}`
      this.cluster.log(`${this.node.hostname} did not sync its disks (${said}); going on`)
    })
  }
}
