export type Run = (...args: string[]) => Promise<{ exitCode?: number; stdout: string; stderr: string }>

async function runningIds(xc: Run): Promise<number[]> {
  const status = await xc('status', '--json')
  const vms: { id: number; state: string }[] = status.stdout ? JSON.parse(status.stdout) : []
  return vms.filter((vm) => vm.state === 'running').map((vm) => vm.id)
}

/**
 * Makes sure every VM of `ids` runs, booting those that do not: called before each test of a
 * file that shares one cluster, so a test that stops, kills or scales in VMs does not decide
 * what the tests after it see, whatever order they run in.
 */
export async function keepRunning(xc: Run, ids: number[]): Promise<void> {
  const missing = () => runningIds(xc).then((running) => ids.filter((id) => !running.includes(id)))
  if ((await missing()).length === 0) return
  const start = await xc('start', '--no-restart')
  const still = await missing()
  if (still.length > 0) throw new Error(`xcluster start did not bring back vm ids ${still.join(', ')}: ${start.stderr}`)
}
