import type { ClusterStatus } from '../lifecycle/cluster.js'
import type { CommandInput } from './command.js'
import { nodeJson } from './node-json.js'

/** `running`, `paused` (stop-vm) or `down` (the process is gone). */
export function vmStateName(pid: number | undefined, paused: boolean): string {
  return pid === undefined ? 'down' : paused ? 'paused' : 'running'
}

/**
 * Prints which VMs run, with pid, role, nets and addresses, and the plugins' lines; a VM found
 * dead is shown as down, with a hint on stderr, as is each problem a plugin reports. Returns the
 * number of VMs down and problems.
 */
export function printStatus(
  status: ClusterStatus,
  stateDir: string,
  input: Pick<CommandInput, 'flags' | 'stdout' | 'stderr'>,
): number {
  const downIds = status.vms.filter((vm) => vm.pid === undefined).map((vm) => vm.node.id)
  const down = downIds.length
  const problems = status.report.flatMap((line) => (line.problem ? [line.problem] : []))
  const rows = status.vms.map(({ node, pid, paused, kernel, linksDown }) => ({
    ...nodeJson(node),
    state: vmStateName(pid, paused),
    pid: pid ?? null,
    linksDown,
    kernel: kernel === undefined ? null : (status.kernels.get(kernel) ?? kernel),
  }))
  if (input.flags.json) {
    input.stdout(`${JSON.stringify(rows, null, 2)}\n`)
    return down + problems.length
  }
  if (rows.length === 0) input.stdout(`no VMs in ${stateDir}\n`)
  for (const row of rows) {
    const pid = row.pid === null ? '-' : String(row.pid)
    input.stdout(
      `${row.hostname}  ${row.state.padEnd(7)}  pid ${pid.padEnd(7)}  ${row.role.padEnd(6)}  nets` +
        ` ${row.nets.join(',').padEnd(8)}  ${row.ipv4.join(' ')}` +
        `${row.linksDown.length > 0 ? `  link down: net ${row.linksDown.join(',')}` : ''}\n`,
    )
  }
  for (const [path, label] of status.kernels) {
    const booting = status.vms.filter((vm) => vm.kernel === path).map((vm) => vm.node.hostname)
    input.stdout(`kernel ${label === path ? path : `${label} ${path}`}: ${booting.join(' ')}\n`)
  }
  for (const line of status.report) input.stdout(`${line.text}\n`)
  for (const problem of problems) input.stderr(`xcluster: ${problem}\n`)
  if (down > 0)
    input.stderr(
      `xcluster: ${down} VM${down === 1 ? ' is' : 's are'} down: \`xcluster scaleout ${downIds.join(' ')}\` boots` +
        ` ${down === 1 ? 'it' : 'them'} again as ${down === 1 ? 'it was' : 'they were'} started (\`xcluster start\`` +
        ' restarts the cluster), `xcluster stop` removes it\n',
    )
  return down + problems.length
}
