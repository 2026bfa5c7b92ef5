// Boot time and footprint: xcluster start against bare qemu with the same kernel and machine.
// Run: pnpm bench:boot [--runs=3] [--vms=4] [--clones] | pnpm bench:scale N [--mem=64] (root; everything in a
// namespace it makes). --clones: only the table of cloned VMs against booted ones and bare qemu.
// Each table has a row per kernel: Debian's cloud kernel, and the one `xcluster kernel build` made when there is one.
//
// "Bare" keeps the machine, accelerator, cpu, memory, cpus and kernel of the VM's own qemu command
// line and boots a tiny busybox initramfs whose /init prints a line; it is timed to that line.
// `xcluster start` is timed to its return: every VM up, ready for rsh.
import './built-cli.js'
import { execa } from 'execa'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { minimumMemory } from '../packages/core/src/qemu/kernel-memory.js'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'
import { bareArgv, bareBoot, trivialInitramfs } from './bare-qemu.js'
import { cloneRows } from './clone-table.js'
import { cpuSeconds, pssMiB, rssMiB } from './process-figures.js'
import { type BenchCluster, median, seconds } from './bench-cluster.js'

/** `--name=N` or `--name N` (as `pnpm bench:scale 100` passes it). */
function option(name: string, fallback: number): number {
  const k = process.argv.findIndex((word) => word === `--${name}` || word.startsWith(`--${name}=`))
  if (k < 0) return fallback
  const value = Number(process.argv[k].includes('=') ? process.argv[k].split('=')[1] : process.argv[k + 1])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number from 1`)
  return value
}
const RUNS = option('runs', 3)
const VMS = option('vms', 4)
const IDLE_SECONDS = 10
/** bench:scale's mem (`--mem=64`), raised to a kernel's minimum; default: each kernel's minimum. */
const MEM = process.argv.some((word) => word.startsWith('--mem')) ? option('mem', 64) : undefined
/**
 * bench:scale's VMs boot; with `--clone` the same VMs are then cloned from a template (made by the start before), in
 * the same run.
 */
const CLONE_MODES = process.argv.includes('--clone') ? ['no', 'yes'] : ['no']

/** The smallest mem the kernel of a planned VM boots in (core's own check), 64 when it cannot tell. */
async function minimumMemoryOf(argv: string[]): Promise<number> {
  return (await minimumMemory(argv[argv.indexOf('-kernel') + 1], argv[argv.indexOf('-initrd') + 1])) ?? 64
}

async function timedStart(cluster: BenchCluster, ...args: string[]): Promise<number> {
  const started = Date.now()
  const start = await cluster.xc('start', ...args)
  if (start.exitCode !== 0) throw new Error(`xcluster start ${args.join(' ')} failed: ${start.stderr.slice(-500)}`)
  return Date.now() - started
}

/**
 * Host memory of each idle qemu of the cluster (RSS, and PSS: what it takes of pages it shares with others, such as
 * clones of one template) and its CPU over IDLE_SECONDS.
 */
async function idleFootprint(
  cluster: BenchCluster,
  ids: number[],
): Promise<{ rssMb: number; pssMb: number; cpuPercent: number }[]> {
  const pids = await Promise.all(
    ids.map(async (id) =>
      Number(await readFile(join(cluster.stateDir, `vm-${String(id).padStart(3, '0')}.pid`), 'utf8')),
    ),
  )
  const before = await Promise.all(pids.map(cpuSeconds))
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000))
  const after = await Promise.all(pids.map(cpuSeconds))
  return Promise.all(
    pids.map(async (pid, k) => ({
      rssMb: await rssMiB(pid),
      pssMb: await pssMiB(pid),
      cpuPercent: ((after[k] - before[k]) / IDLE_SECONDS) * 100,
    })),
  )
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)))
  for (const row of [header, ...rows]) console.log(row.map((cell, k) => cell.padEnd(widths[k])).join('  '))
  console.log()
}

/** The kernels to compare: Debian's cloud kernel, and the built one when `xcluster kernel build` made one. */
async function kernels(cluster: BenchCluster): Promise<string[]> {
  const built = (await cluster.xc('kernel', 'list')).stdout.trim()
  if (!built)
    console.error('bench: no built kernel (`xcluster kernel build` makes one, about 14 min): the cloud kernel only')
  return built ? ['cloud', 'built'] : ['cloud']
}

const planOf = async (cluster: BenchCluster, kernel: string) =>
  JSON.parse((await cluster.xc('start', '--dry-run', '--json', `--kernel=${kernel}`)).stdout)[0]

/**
 * Bare against xcluster start, for one VM and for VMS at once, per kernel; then an idle VM's footprint at the default
 * mem, the kernel's minimum and 64.
 */
async function bootTable(cluster: BenchCluster, ns: TestNetns, dir: string): Promise<void> {
  const initrd = await trivialInitramfs(dir)
  const rows: string[][] = []
  const idle: string[][] = []
  const restores: string[][] = []
  const [cloneTimes, cloneMemory]: string[][][] = [[], []]
  for (const kernel of await kernels(cluster)) {
    const plan = await planOf(cluster, kernel)
    const bare = bareArgv(plan.argv, initrd)
    console.error(`bench: bare is ${bare.join(' ')}`)
    const clones = await cloneRows(cluster, ns, bare, kernel, { runs: RUNS, vms: VMS })
    cloneTimes.push(...clones.times)
    cloneMemory.push(...clones.memory)
    if (process.argv.includes('--clones')) continue
    for (const vms of [1, VMS]) {
      const bareTimes: number[] = []
      const startTimes: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const started = Date.now()
        await Promise.all(Array.from({ length: vms }, () => bareBoot(ns, bare)))
        bareTimes.push(Date.now() - started)
        startTimes.push(await timedStart(cluster, `--nvm=${vms}`, `--kernel=${kernel}`, '--clone=no'))
        await cluster.xc('stop')
      }
      const [b, x] = [median(bareTimes), median(startTimes)]
      rows.push([kernel, vms === 1 ? 'one VM' : `${vms} VMs at once`, seconds(b), seconds(x), `${(x / b).toFixed(2)}x`])
    }
    restores.push(await restoreRow(cluster, kernel))
    const minimum = await minimumMemoryOf(plan.argv)
    for (const mem of [...new Set([plan.mem, minimum, 64])]) {
      try {
        await timedStart(cluster, `--mem=${mem}`, `--kernel=${kernel}`, '--clone=no')
        const [vm] = await idleFootprint(cluster, [1])
        idle.push([
          kernel,
          `mem ${mem}${mem === minimum ? ' (its minimum)' : ''}`,
          `${vm.rssMb.toFixed(0)} MB`,
          `${vm.cpuPercent.toFixed(1)} %`,
        ])
      } catch (error) {
        const { message } = error as Error
        idle.push([
          kernel,
          `mem ${mem}`,
          `refused: ${/needs at least \d+ MiB/.exec(message)?.[0] ?? message.slice(0, 100)}`,
          '',
        ])
      } finally {
        await cluster.xc('stop')
      }
    }
  }
  if (!process.argv.includes('--clones')) {
    printTable(['kernel', 'boot', 'bare qemu (kernel to init)', 'xcluster start (to ready)', 'ratio'], rows)
    printTable(['kernel', 'an idle VM', 'host RSS of its qemu', `CPU over ${IDLE_SECONDS} s`], idle)
    printTable(['kernel', 'VMs', 'xcluster start (to ready)', 'start --snapshot (running again)', 'ratio'], restores)
  }
  const cloneHeader = [
    'kernel',
    'start',
    'bare qemu (to init)',
    'booted (--clone=no)',
    'cloned',
    'ratio',
    'booted instead',
  ]
  printTable(cloneHeader, cloneTimes)
  printTable(['kernel', `an idle VM of ${VMS}`, 'PSS of its qemu'], cloneMemory)
}

/** VMS VMs booted, against the same cluster brought back from a snapshot of it, RUNS times each. */
async function restoreRow(cluster: BenchCluster, kernel: string): Promise<string[]> {
  const name = `bench-${process.pid}`
  const [boots, restores]: number[][] = [[], []]
  try {
    for (let run = 0; run < RUNS; run++) {
      boots.push(await timedStart(cluster, `--nvm=${VMS}`, `--kernel=${kernel}`, '--clone=no'))
      const save = await cluster.xc('snapshot', 'save', name, `--nvm=${VMS}`, `--kernel=${kernel}`)
      if (save.exitCode !== 0) throw new Error(`snapshot save failed: ${save.stderr}`)
      await cluster.xc('stop')
      restores.push(await timedStart(cluster, `--snapshot=${name}`, `--nvm=${VMS}`, `--kernel=${kernel}`))
      await cluster.xc('stop')
      await cluster.xc('snapshot', 'delete', name)
    }
  } finally {
    await cluster.xc('snapshot', 'delete', name)
  }
  const [b, r] = [median(boots), median(restores)]
  return [kernel, `${VMS}`, seconds(b), seconds(r), `${(r / b).toFixed(2)}x`]
}

/**
 * One VM's host RSS, measured, times this: what N such VMs are expected to take, to skip a run the host cannot hold.
 */
const RSS_MARGIN = 1.2

/** One row of the scale table: N VMs of `kernel` at `mem`, booted (`clone` no) or cloned (yes). */
async function scaleRow(cluster: BenchCluster, kernel: string, n: number, mem: number, clone: string) {
  const free = async () => Number(/MemAvailable:\s+(\d+)/.exec(await readFile('/proc/meminfo', 'utf8'))![1]) / 1024
  const what = `${n} ${clone === 'yes' ? 'cloned' : 'booted'} (mem ${mem})`
  await timedStart(cluster, '--nvm=1', `--mem=${mem}`, `--kernel=${kernel}`, `--clone=${clone}`)
  const [one] = await idleFootprint(cluster, [1])
  await cluster.xc('stop')
  const before = await free()
  const needed = n * one.rssMb * RSS_MARGIN
  if (needed > 0.9 * before) {
    const why = `not run: needs about ${(needed / 1024).toFixed(1)} GB, ${(before / 1024).toFixed(1)} GB available`
    return [kernel, what, why, '', '', '', '', '']
  }
  try {
    const took = await timedStart(cluster, `--nvm=${n}`, `--mem=${mem}`, `--kernel=${kernel}`, `--clone=${clone}`)
    const used = before - (await free())
    const idle = await idleFootprint(
      cluster,
      Array.from({ length: n }, (_, k) => k + 1),
    )
    const rss = idle.reduce((sum, vm) => sum + vm.rssMb, 0)
    const pss = idle.reduce((sum, vm) => sum + vm.pssMb, 0)
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ')[0]
    return [
      kernel,
      what,
      seconds(took),
      `${used.toFixed(0)} MB`,
      `${(rss / n).toFixed(0)} MB`,
      `${(pss / n).toFixed(0)} MB (${(pss / 1024).toFixed(1)} GB in all)`,
      `${median(idle.map((vm) => vm.cpuPercent)).toFixed(1)} %`,
      load,
    ]
  } finally {
    await cluster.xc('stop')
  }
}

/**
 * N VMs at --mem or the smallest mem each kernel boots in, whichever is more: time to all ready, host memory in total
 * and per VM, and the load after.
 */
async function scaleTable(cluster: BenchCluster, n: number): Promise<void> {
  const rows: string[][] = []
  for (const kernel of await kernels(cluster)) {
    const mem = Math.max(MEM ?? 0, await minimumMemoryOf((await planOf(cluster, kernel)).argv))
    for (const clone of CLONE_MODES) rows.push(await scaleRow(cluster, kernel, n, mem, clone))
  }
  printTable(
    ['kernel', 'VMs', 'to all ready', 'host memory used', 'qemu RSS per VM', 'qemu PSS per VM'].concat([
      'CPU per idle VM',
      'load (1 min)',
    ]),
    rows,
  )
}

async function main(): Promise<void> {
  await ensureTestImage()
  const ns = await TestNetns.create('bench-boot')
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-boot-'))
  const cluster: BenchCluster = {
    xc: (...args) => ns.xcluster(args, { cwd: dir }),
    stateDir: `/tmp/xcluster-${process.env.USER ?? 'root'}/${ns.name}`,
  }
  // The templates the bench makes are removed after it; those that were there are left alone.
  const templates = join(JSON.parse((await cluster.xc('env', '--json')).stdout).workspace, 'templates')
  const before = await readdir(templates).catch((): string[] => [])
  try {
    await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, testers: 0 }))
    const scale = option('scale', 0)
    if (scale > 0) await scaleTable(cluster, scale)
    else await bootTable(cluster, ns, dir)
  } finally {
    await ns.remove(dir)
    const after = await readdir(templates).catch((): string[] => [])
    for (const made of after.filter((name) => !before.includes(name)))
      await rm(join(templates, made), { recursive: true, force: true })
    await rm(dir, { recursive: true, force: true })
  }
  console.log(
    `(median of ${RUNS} runs; accel ${process.env.XCLUSTER_ACCEL ?? 'tcg'}; ${(await execa('nproc')).stdout} cores;` +
      ` the workspace's built CLI, as the e2e tests run it)`,
  )
}

await main()
