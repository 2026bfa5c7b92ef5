// TCP throughput between two VMs over net 1: on Linux bridges, on Open vSwitch, and on user-space socket nets.
// Run: node --import ./packages/cli/bin/register-sources.mjs bench/throughput.ts [seconds] (root; each setup in a
// namespace of its own)
import './built-cli.js'
import { execa } from 'execa'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  TEST_ACCEL,
  TestNetns,
  ensureTestImage,
  removeTestFiles,
  xclusterInClusterNetns,
} from '@xcluster/test-support/netns'

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
    const report = JSON.parse(
      await check('iperf3 client', await xc('rsh', '1', `iperf3 -J -t ${seconds} -c 192.168.1.2`)),
    )
    return report.end.sum_received.bits_per_second / 1e6
  } finally {
    await xc('stop')
  }
}

async function clusterDir(plugins: unknown[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-'))
  await writeFile(
    join(dir, 'xcluster.config.json'),
    JSON.stringify({ nodes: 2, routers: 0, overlays: [overlay], plugins }),
  )
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

/** Two VMs in a netns made by nsadd, on the given backend plugins (none: the default, Linux bridges). */
async function inClusterNetns(label: string, plugins: unknown[]): Promise<number> {
  const user = `x${label}${process.pid}`
  const host = await TestNetns.create(`bench-${label}`, { USER: user })
  const dir = await clusterDir(plugins)
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
const rows: [string, number][] = [
  ['Linux bridges and taps', await inClusterNetns('br', [])],
  ['Open vSwitch (user-space datapath)', await inClusterNetns('ovs', ['@xcluster/net-ovs'])],
  ['user-space socket nets', await userspace()],
]
const socket = rows[2][1]
console.log(`accelerator: ${TEST_ACCEL}, iperf3 -t ${seconds}, vm-001 -> vm-002 over net 1, one run\n`)
console.log('| setup | TCP throughput | x socket nets |\n|---|---|---|')
for (const [setup, mbits] of rows)
  console.log(`| ${setup} | ${mbits.toFixed(0)} Mbit/s | ${(mbits / socket).toFixed(2)} |`)
