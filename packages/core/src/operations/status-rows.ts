import type { ClusterStatus } from '../lifecycle/cluster.js'
import type { Presentation } from '../contract/operation.js'
import { nodeJson } from './node-json.js'

/** `running`, `paused` (stop-vm) or `down` (the process is gone). */
export function vmStateName(pid: number | undefined, paused: boolean): string {
  return pid === undefined ? 'down' : paused ? 'paused' : 'running'
}

/** One VM as status reports it (`status --json` is a list of these). */
export type VmRow = ReturnType<typeof nodeJson> & {
  state: string
  pid: number | null
  linksDown: number[]
  kernel: string | null
  /** The template it is a clone of (`clone: yes`); null for a VM that booted. */
  template: string | null
  /** Each NIC's interface on the host (a tap), where it has one; null on a user-space net or a VM that is down. */
  hostLinks: (string | null)[]
}

/** What status reports: each VM, the kernels they boot, the plugins' lines and problems. */
export interface StatusReport {
  stateDir: string
  vms: VmRow[]
  /** Each kernel booted, by path, with its label. */
  kernels: { path: string; label: string; vms: string[] }[]
  /** The plugins' lines, as `text`, and each problem one of them found. */
  lines: string[]
  problems: string[]
}

export function statusReport(status: ClusterStatus, stateDir: string): StatusReport {
  return {
    stateDir,
    vms: status.vms.map(({ node, pid, paused, kernel, linksDown, template }) => ({
      ...nodeJson(node),
      state: vmStateName(pid, paused),
      pid: pid ?? null,
      linksDown,
      kernel: kernel === undefined ? null : (status.kernels.get(kernel) ?? kernel),
      template: template ?? null,
      hostLinks: node.nics.map((_, k) => status.hostLinks?.get(node.id)?.[k] ?? null),
    })),
    kernels: [...status.kernels].map(([path, label]) => ({
      path,
      label,
      vms: status.vms.filter((vm) => vm.kernel === path).map((vm) => vm.node.hostname),
    })),
    lines: status.report.map((line) => line.text),
    problems: status.report.flatMap((line) => (line.problem ? [line.problem] : [])),
  }
}

/**
 * Which VMs run, with pid, role, nets and addresses, and the plugins' lines; a VM found dead is shown as down, with
 * a hint, as is each problem a plugin reports; either makes the exit status 1.
 */
export function presentStatus(report: StatusReport): Presentation {
  const downIds = report.vms.filter((vm) => vm.pid === null).map((vm) => vm.id)
  const down = downIds.length
  const rows = report.vms.map(
    (row) =>
      `${row.hostname}  ${row.state.padEnd(7)}  pid ${(row.pid === null ? '-' : String(row.pid)).padEnd(7)}` +
      `  ${row.role.padEnd(6)}  nets ${row.nets.join(',').padEnd(8)}  ${row.ipv4.join(' ')}` +
      `${row.linksDown.length > 0 ? `  link down: net ${row.linksDown.join(',')}` : ''}`,
  )
  const kernels = report.kernels.map(
    ({ path, label, vms }) => `kernel ${label === path ? path : `${label} ${path}`}: ${vms.join(' ')}`,
  )
  const lines = [...(rows.length === 0 ? [`no VMs in ${report.stateDir}`] : rows), ...kernels, ...report.lines]
  const downNote =
    `${down} VM${down === 1 ? ' is' : 's are'} down: \`xcluster scaleout ${downIds.join(' ')}\` boots` +
    ` ${down === 1 ? 'it' : 'them'} again as ${down === 1 ? 'it was' : 'they were'} started (\`xcluster start\`` +
    ' restarts the cluster), `xcluster stop` removes it'
  return {
    text: lines.map((line) => `${line}\n`).join(''),
    notes: [...report.problems, ...(down > 0 ? [downNote] : [])],
    exit: down + report.problems.length > 0 ? 1 : 0,
  }
}
