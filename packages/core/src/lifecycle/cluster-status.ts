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
}

/** Which VMs run, and the plugins' report; it changes nothing, a dead VM stays until start or stop deals with it. */
export async function clusterStatus(cluster: ClusterRun): Promise<ClusterStatus> {
  const vms = await vmStates(cluster.config)
  const nodes = vms.map((vm) => vm.node)
  const report = await cluster.hooks.report.promise([], cluster.context(nodes, []))
  const paths = new Set(vms.flatMap((vm) => (vm.kernel ? [vm.kernel] : [])))
  const cloud = imageFiles(cluster.config.workspace).kernel
  const kernels = new Map(
    await Promise.all([...paths].map(async (path) => [path, await kernelLabel(path, cluster.config, cloud)] as const)),
  )
  return { vms, report, kernels }
}
