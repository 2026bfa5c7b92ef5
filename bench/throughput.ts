// TCP throughput between two VMs over net 1: on bridges and taps, and on user-space socket nets.
// Run: node --import tsx bench/throughput.ts [seconds]   (root; each setup in a namespace of its own)
import { execa } from 'execa'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_ACCEL, TestNetns, ensureTestImage, removeTestFiles, xclusterInClusterNetns } from '../test/support/netns.js'

const seconds = Number(process.argv[2] ?? 10)
const overlay = fileURLToPath(new URL('../packages/core/test/fixtures/overlays/eth1-from-hostname', import.meta.url))
type Xcluster = (...args: string[]) => ReturnType<typeof execa>

async function measure(xc: Xcluster): Promise<number> {
  const check = async (step: string, result: Awaited<ReturnType<Xcluster>>) => {
    if (result.exitCode !== 0) throw new Error(`${step} failed: ${result.stderr}`)
    return String(result.stdout)
  }
  await check('start', await xc('start'))
  try {
    await check('iperf3 server', await xc('rsh', '2', 'iperf3 -s -D -1'))
    const report = JSON.parse(await check('iperf3 client', await xc('rsh', '1', `iperf3 -J -t ${seconds} -c 192.168.1.2`)))
    return report.end.sum_received.bits_per_second / 1e6
  } finally {
    await xc('stop')
  }
}

async function clusterDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0, overlays: [overlay] }))
  return dir
}

async function userspace(): Promise<number> {
  const ns = await TestNetns.create('bench-us')
  const dir = await clusterDir()
  try {
    return await measure((...args) => ns.xcluster(args, { cwd: dir }))
  } finally {
    await ns.remove(dir)
  }
}

async function bridges(): Promise<number> {
  const user = `xbench${process.pid}`
  const host = await TestNetns.create('bench-br', { USER: user })
  const dir = await clusterDir()
  try {
    const add = await host.hostXcluster(['nsadd', '1'], { cwd: dir })
    if (add.exitCode !== 0) throw new Error(`nsadd failed: ${add.stderr}`)
    return await measure(xclusterInClusterNetns(user, () => dir))
  } finally {
    await host.hostXcluster(['nsdel', '1'], { cwd: dir })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }
}

await ensureTestImage()
const bridge = await bridges()
const socket = await userspace()
console.log(`accelerator: ${TEST_ACCEL}, iperf3 -t ${seconds}, vm-001 -> vm-002 over net 1`)
console.log(`bridges and taps:       ${bridge.toFixed(0)} Mbit/s`)
console.log(`user-space socket nets: ${socket.toFixed(0)} Mbit/s`)
console.log(`ratio bridge/socket:    ${(bridge / socket).toFixed(2)}`)
