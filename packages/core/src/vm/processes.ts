import { readFile, readdir } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'

/** A qemu process of this cluster, found in /proc by the pidfile path on its command line. */
export interface VmProcess {
  id: number
  pid: number
  argv: string[]
}

const VM_FILE = /^vm-(\d{3})\./

async function commandLine(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)
  return raw ? raw.split('\0').filter((w, k, all) => w !== '' || k < all.length - 1) : undefined
}

/** The VM id a qemu argv belongs to when its pidfile lies in `stateDir`. */
function vmIdOf(argv: string[], stateDir: string): number | undefined {
  const k = argv.indexOf('-pidfile')
  if (k < 0 || !argv[0]?.includes('qemu')) return undefined
  const pidfile = resolve(argv[k + 1] ?? '')
  const match = VM_FILE.exec(basename(pidfile))
  return match && dirname(pidfile) === resolve(stateDir) ? Number(match[1]) : undefined
}

/** The cluster's live VMs, from the processes themselves (not from files that may be stale). */
export async function runningVms(stateDir: string): Promise<Map<number, VmProcess>> {
  const vms = new Map<number, VmProcess>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const argv = await commandLine(Number(entry))
    const id = argv && vmIdOf(argv, stateDir)
    if (id !== undefined && id !== null) vms.set(id, { id, pid: Number(entry), argv: argv! })
  }
  return vms
}

/**
 * The processes whose command line holds one of `words` (a config file in a state directory,
 * say), in one pass over /proc: how a service is found and checked before it is signalled, never
 * by a pid read from a file alone.
 */
export async function processesWithArgument(words: string[]): Promise<{ pid: number; word: string }[]> {
  const found: { pid: number; word: string }[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const argv = await commandLine(Number(entry))
    const word = argv && words.find((w) => argv.includes(w))
    if (word) found.push({ pid: Number(entry), word })
  }
  return found
}

/** Whether the process of a VM still runs (and is still that VM, not a reused pid). */
export async function stillRunning(vm: VmProcess, stateDir: string): Promise<boolean> {
  const argv = await commandLine(vm.pid)
  return argv !== undefined && vmIdOf(argv, stateDir) === vm.id
}

/** Ids that have files in the state directory: VMs that run, or that died and left files behind. */
export async function idsWithFiles(stateDir: string): Promise<number[]> {
  const files = await readdir(stateDir).catch(() => [] as string[])
  return [...new Set(files.map((f) => VM_FILE.exec(f)?.[1]).filter((id): id is string => !!id).map(Number))]
}

/** The nets of a running VM, read from the MACs on its command line (00:00:00:01:<net>:<id>). */
export function netsOf(argv: string[]): number[] {
  return [...argv.join(' ').matchAll(/mac=00:00:00:01:([0-9a-f]{2}):[0-9a-f]{2}/g)].map((m) => parseInt(m[1], 16))
}
