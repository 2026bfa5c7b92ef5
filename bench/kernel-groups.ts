// What each group of xcluster's kernel config costs: pnpm bench:kernel-groups [--runs=5]
// (root; builds a kernel per group, each only what its options touch, on a copy of the objects the
// default build kept: run `xcluster kernel build` first; about 5-10 minutes per group on 2 cores).
//
// For each "## group" of packages/image/kernel/xcluster.config but the base, a kernel without that
// group (its options "is not set", a --kcfg fragment) is built; then each kernel boots bare (a busybox
// initramfs, to its /init) RUNS times, in a namespace of its own. Printed: bzImage size, the
// memory it needs (core's own rule, with the image's initramfs) and the time to /init.
import { execa } from 'execa'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { minimumMemory } from '../packages/core/src/qemu/kernel-memory.js'
import { XCLUSTER_FRAGMENT } from '../packages/image/src/kernel-config.js'
import { TestNetns, XCLUSTER_BIN, ensureTestImage, ensureTestKernel } from '../test/support/netns.js'
import { bareArgv, bareBoot, trivialInitramfs } from './bare-qemu.js'

const RUNS = Number(/^--runs=(\d+)$/.exec(process.argv.find((word) => word.startsWith('--runs=')) ?? '')?.[1] ?? 5)
const WORKSPACE = process.env.XCLUSTER_WORKSPACE ?? join(homedir(), '.cache', 'xcluster')
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]

/** The groups of the fragment ("## name: what"), each with the options it turns on. */
async function groups(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of (await readFile(XCLUSTER_FRAGMENT, 'utf8')).split('\n')) {
    const header = /^## (\w[\w ]*):/.exec(line)
    if (header) found.set(header[1], (current = []))
    else if (current && /^CONFIG_\w+=y$/.test(line)) current.push(line.split('=')[0])
  }
  found.delete('base')
  return found
}

/** The objects directory the default build kept. */
async function keptObjects(): Promise<string> {
  const work = join(WORKSPACE, 'kernels', 'work')
  for (const key of await readdir(work)) {
    const objects = join(work, key, 'objects')
    if (await stat(join(objects, 'arch', 'x86', 'boot', 'bzImage')).catch(() => undefined)) return objects
  }
  throw new Error(`no kept kernel objects in ${work}: run \`xcluster kernel build\` first`)
}

async function main(): Promise<void> {
  await ensureTestImage()
  const full = await ensureTestKernel()
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-kgroups-'))
  const ns = await TestNetns.create('bench-kgroups')
  const built: string[] = []
  try {
    const kernels: [string, string][] = [['all groups', full]]
    for (const [group, options] of await groups()) {
      const fragment = join(dir, `without-${group.replace(/ /g, '-')}.config`)
      await writeFile(fragment, options.map((option) => `# ${option} is not set\n`).join(''))
      const objects = join(dir, `objects-${group.replace(/ /g, '-')}`)
      await execa('cp', ['-a', await keptObjects(), objects])
      console.error(`bench: building without ${group} (${options.length} options)`)
      const result = await execa('node', [XCLUSTER_BIN, 'kernel', 'build', `--kcfg=${fragment}`, `--kobj=${objects}`], { cwd: dir, stderr: 'inherit' })
      built.push(dirname(result.stdout.trim()))
      kernels.push([`without ${group}`, result.stdout.trim()])
      await rm(objects, { recursive: true, force: true })
    }
    const initrd = await trivialInitramfs(dir)
    const imageInitrd = join(WORKSPACE, 'image', 'initrd.img')
    const rows: string[][] = []
    for (const [name, bzImage] of kernels) {
      const argv = bareArgv(['qemu-system-x86_64', '-machine', 'pc', '-accel', 'tcg', '-m', '64', '-smp', '2', '-kernel', bzImage], initrd)
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) times.push(await bareBoot(ns, argv))
      rows.push([name, `${((await stat(bzImage)).size / 1048576).toFixed(2)} MiB`, `${await minimumMemory(bzImage, imageInitrd)} MiB`, `${(median(times) / 1000).toFixed(2)} s`])
    }
    const header = ['kernel', 'bzImage', 'needs', 'qemu start to /init (median)']
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)))
    for (const row of [header, ...rows]) console.log(row.map((cell, k) => cell.padEnd(widths[k])).join('  '))
    console.log(`\n(median of ${RUNS} runs; -m 64, pc, tcg; ${(await execa('nproc')).stdout} cores)`)
  } finally {
    for (const path of built) await rm(path, { recursive: true, force: true })
    await ns.remove(dir)
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
