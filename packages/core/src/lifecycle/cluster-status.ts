import { imageFiles } from '@xcluster/image/image-files'
import type { ReportLine } from '../contract/context.js'
import { type VmState, vmStates } from '../runtime/vm-states.js'
import { kernelLabel } from '../workspace/choose-kernel.js'
import type { ClusterRun } from './cluster-run.js'

export interface ClusterStatus {
  vms: VmState[]
  /** What each running VM boots: `kernel` of VmState, named (built 6.1.192, Debian's cloud kernel, a path). */
  kernels: Map<string, string>
  /** The plugins' lines about the cluster's services. */
  report: ReportLine[]
  /** Each running VM's NICs' interfaces on the host, by VM id (undefined for a NIC with none: a user-space net). */
  hostLinks?: Map<number, (string | undefined)[]>
}

/** Which VMs run, and the plugins' report; it changes nothing, a dead VM stays until start or stop deals with it. */
export async function clusterStatus(cluster: ClusterRun): Promise<ClusterStatus> {
  const vms = await vmStates(cluster.config)
  const nodes = vms.map((vm) => vm.node)
  const report = await cluster.hooks.report.promise([], cluster.context(nodes, []))
  const running = vms.filter((vm) => vm.pid !== undefined).map((vm) => vm.node)
  const hostLinks = new Map(
    await Promise.all(
      running.map(async (node) => {
        const context = cluster.context([node], [])
        const links = await Promise.all(node.nics.map((nic) => cluster.hooks.hostLink.promise(node, nic, context)))
        return [node.id, links] as const
      }),
    ),
  )
  const paths = new Set(vms.flatMap((vm) => (vm.kernel ? [vm.kernel] : [])))
  const cloud = imageFiles(cluster.config.workspace).kernel
  const kernels = new Map(
    await Promise.all([...paths].map(async (path) => [path, await kernelLabel(path, cluster.config, cloud)] as const)),
  )
  return { vms, report, kernels, hostLinks }
}
