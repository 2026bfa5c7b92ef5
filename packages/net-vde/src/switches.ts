import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type Host, endProcess, ensurePrivateDir, ifPresent, processesWithArgument } from '@xcluster/core'

const switchesDir = (stateDir: string) => join(stateDir, 'vde')

/** The control directory of net N's switch in the state directory: what qemu's `-netdev vde,sock=` names. */
export const switchDir = (stateDir: string, net: number) => join(switchesDir(stateDir), `net${net}`)

/** The switches of the cluster that run, by net: found by their control directory in their command line. */
export async function runningSwitches(stateDir: string): Promise<Map<number, number>> {
  const dirs = ((await ifPresent(readdir(switchesDir(stateDir)))) ?? []).filter((name) => /^net\d{1,3}$/.test(name))
  const found = await processesWithArgument(dirs.map((name) => join(switchesDir(stateDir), name)))
  return new Map(found.map(({ pid, word }) => [Number(word.slice(word.lastIndexOf('/net') + 4)), pid]))
}

/**
 * Starts the switches of `nets` that do not run. `vde_switch --daemon` returns once the switch listens; its control
 * directory is private to the cluster's owner (0700, socket 0600), and it reads no rc file (~/.vderc and /etc/vde2
 * are not the cluster's).
 */
export async function ensureSwitches(host: Host, stateDir: string, nets: number[]): Promise<void> {
  const running = await runningSwitches(stateDir)
  const missing = nets.filter((net) => !running.has(net))
  if (missing.length > 0) await ensurePrivateDir(switchesDir(stateDir), 'VDE switch directory')
  for (const net of missing) await startSwitch(host, stateDir, net)
}

async function startSwitch(host: Host, stateDir: string, net: number): Promise<void> {
  await rm(switchDir(stateDir, net), { recursive: true, force: true })
  await host.run('vde_switch', [
    '--sock',
    switchDir(stateDir, net),
    '--dirmode',
    '0700',
    '--mode',
    '0600',
    '--rcfile',
    '/dev/null',
    '--daemon',
  ])
}

/** Ends every switch of the cluster and removes their directories. */
export async function stopSwitches(stateDir: string): Promise<void> {
  for (const pid of (await runningSwitches(stateDir)).values()) await endProcess(pid)
  await rm(switchesDir(stateDir), { recursive: true, force: true })
}
