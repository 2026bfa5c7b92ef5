// Cloned VMs against booted ones and bare qemu, in one run (pnpm bench:boot --clones; part of pnpm bench:boot).
import type { TestNetns } from '@xcluster/test-support/netns'
import { bareBoot } from './bare-qemu.js'
import { pssMiB } from './process-figures.js'
import { type BenchCluster, median, seconds } from './bench-cluster.js'

/** A start timed to its return, with how many VMs it cloned and how many it booted, and whether it made a template. */
async function start(cluster: BenchCluster, ...args: string[]) {
  const began = Date.now()
  const run = await cluster.xc('start', ...args)
  if (run.exitCode !== 0) throw new Error(`xcluster start ${args.join(' ')} failed: ${run.stderr.slice(-500)}`)
  const count = (verb: string) => run.stderr.split('\n').filter((line) => line.startsWith(`xcluster: ${verb} vm-`))
  const madeTemplate = run.stderr.includes('xcluster: making the template ')
  return { ms: Date.now() - began, cloned: count('cloning').length, booted: count('booting').length, madeTemplate }
}

/** Proportional set size of each running VM's qemu, in MB (what N of them take together is about N times it). */
async function pssOf(cluster: BenchCluster): Promise<number[]> {
  // Every VM of the bench's cluster runs when this is asked: each has a pid.
  const vms: { pid: number }[] = JSON.parse((await cluster.xc('status', '--json')).stdout)
  return Promise.all(vms.map((vm) => pssMiB(vm.pid)))
}

/**
 * For one kernel: the first cloned start (it makes the template), then RUNS starts of 1 and `vms` VMs booted
 * (--clone=no) and cloned, beside bare qemu reaching /init; and an idle VM's PSS either way.
 */
export async function cloneRows(
  cluster: BenchCluster,
  ns: TestNetns,
  bare: string[],
  kernel: string,
  options: { runs: number; vms: number },
): Promise<{ times: string[][]; memory: string[][] }> {
  const times: string[][] = []
  const memory: string[][] = []
  const first = await start(cluster, '--clone=yes', '--nvm=1', `--kernel=${kernel}`)
  await cluster.xc('stop')
  // A template made before (the workspace's, of another run) is used, not made again: the row says which it was.
  const firstRow = first.madeTemplate ? 'one VM, making its template' : 'one VM, its template made before this run'
  times.push([kernel, firstRow, '', '', seconds(first.ms), '', `${first.booted}`])
  for (const vms of [1, options.vms]) {
    const [bareTimes, booted, cloned]: number[][] = [[], [], []]
    let fellBack = 0
    for (let run = 0; run < options.runs; run++) {
      const began = Date.now()
      await Promise.all(Array.from({ length: vms }, () => bareBoot(ns, bare)))
      bareTimes.push(Date.now() - began)
      booted.push((await start(cluster, '--clone=no', `--nvm=${vms}`, `--kernel=${kernel}`)).ms)
      await cluster.xc('stop')
      const clones = await start(cluster, '--clone=yes', `--nvm=${vms}`, `--kernel=${kernel}`)
      cloned.push(clones.ms)
      fellBack += clones.booted
      await cluster.xc('stop')
    }
    const [b, x, c] = [median(bareTimes), median(booted), median(cloned)]
    const what = vms === 1 ? 'one VM' : `${vms} VMs at once`
    times.push([kernel, what, seconds(b), seconds(x), seconds(c), `${(c / x).toFixed(2)}x`, `${fellBack}`])
  }
  for (const clone of ['no', 'yes']) {
    await start(cluster, `--clone=${clone}`, `--nvm=${options.vms}`, `--kernel=${kernel}`)
    await new Promise((done) => setTimeout(done, 5000))
    const pss = await pssOf(cluster)
    memory.push([kernel, clone === 'yes' ? 'cloned' : 'booted', `${median(pss).toFixed(0)} MB`])
    await cluster.xc('stop')
  }
  return { times, memory }
}
