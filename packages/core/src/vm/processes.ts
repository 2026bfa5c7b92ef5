import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { vmFiles } from '../qemu/state-files.js'
import { dirEntries, ifPresent } from '../host/if-present.js'

/** A live qemu process of this cluster. */
export interface VmProcess {
  id: number
  pid: number
  /** The kernel it booted: the word after `-kernel` in its argv. */
  kernel?: string
}

const VM_FILE = /^vm-(\d{3})\./
const VM_PID_FILE = /^vm-(\d{3})\.pid$/

/**
 * The argv of a process of this user; undefined for anyone else's: another user can name our
 * files on a command line of theirs, but cannot run a process as us.
 */
async function commandLine(pid: number): Promise<string[] | undefined> {
  const owner = await stat(`/proc/${pid}`).then(
    (s) => s.uid,
    () => undefined,
  )
  if (owner !== (process.geteuid?.() ?? 0)) return undefined
  const raw = await ifPresent(readFile(`/proc/${pid}/cmdline`, 'utf8'))
  return raw ? raw.split('\0').filter((w, k, all) => w !== '' || k < all.length - 1) : undefined
}

/**
 * The VM id a process stands for: its argv names the VM's pidfile in `stateDir` as one word. qemu's does (`-pidfile
 * P`); so does a launcher's that runs the VM elsewhere (ssh to another machine), whose pid is in that file.
 */
function vmIdOf(argv: string[], stateDir: string): number | undefined {
  for (const word of argv) {
    const match = VM_PID_FILE.exec(basename(word))
    if (match && word.startsWith('/') && dirname(resolve(word)) === resolve(stateDir)) return Number(match[1])
  }
  return undefined
}

/**
 * The VM's process when it lives: the pid qemu wrote to its pidfile, believed only while that
 * process is still the qemu of this VM (a pid is reused once the VM is gone).
 */
export async function vmProcess(stateDir: string, id: number): Promise<VmProcess | undefined> {
  const pid = Number(((await ifPresent(readFile(vmFiles(stateDir, id).pid, 'utf8'))) ?? '').trim())
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  const argv = await commandLine(pid)
  if (argv === undefined || vmIdOf(argv, stateDir) !== id) return undefined
  const k = argv.indexOf('-kernel')
  return { id, pid, kernel: k >= 0 ? argv[k + 1] : undefined }
}

/** Which of these VMs live, by id. */
export async function runningVms(stateDir: string, ids: number[]): Promise<Map<number, VmProcess>> {
  const found = await Promise.all(ids.map((id) => vmProcess(stateDir, id)))
  return new Map(found.filter((vm): vm is VmProcess => vm !== undefined).map((vm) => [vm.id, vm]))
}

/**
 * The processes of this user whose command line holds one of `words` (a config file in a state directory,
 * say), in one pass over /proc: how a service is found and checked before it is signalled, never
 * by a pid read from a file alone.
 */
export async function processesWithArgument(words: string[]): Promise<{ pid: number; word: string }[]> {
  return processesWhere((argv) => words.find((w) => argv.includes(w)))
}

/** The processes of this user with a word of their command line that holds `part` (`mem-path=/x/memory,`). */
export async function processesWithPart(part: string): Promise<{ pid: number; word: string }[]> {
  return processesWhere((argv) => argv.find((word) => word.includes(part)))
}

/** The processes of this user whose command line `match` finds a word in, in one pass over /proc. */
async function processesWhere(match: (argv: string[]) => string | undefined): Promise<{ pid: number; word: string }[]> {
  const found: { pid: number; word: string }[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const argv = await commandLine(Number(entry))
    const word = argv && match(argv)
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
  const files = await dirEntries(stateDir)
  return [
    ...new Set(
      files
        .map((f) => VM_FILE.exec(f)?.[1])
        .filter((id): id is string => !!id)
        .map(Number),
    ),
  ].sort((a, b) => a - b)
}
