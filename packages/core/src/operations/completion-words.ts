import type { OperationInput } from '../contract/operation.js'
import { clusterOf } from './cluster-of.js'

/** The ids of the cluster's running VMs. */
export async function runningVmIds(input: OperationInput): Promise<string[]> {
  const { vms } = await (await clusterOf(input)).status()
  return vms.filter((vm) => vm.pid !== undefined).map((vm) => String(vm.node.id))
}

/** The overlays a name finds, along the overlay path and among overlay packages. */
export async function overlayNamesOf(input: OperationInput): Promise<string[]> {
  const cluster = await clusterOf(input)
  const { overlayNames } = await import('../overlay/resolve-overlay.js')
  return overlayNames({ ovlPath: cluster.config.ovlPath, cwd: input.cwd, projects: await input.session.projects() })
}
