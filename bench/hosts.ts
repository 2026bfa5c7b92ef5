// Two VMs on OVN: on one host, and on two simulated hosts joined by Geneve (vm-001 on h1, vm-002 on h2) over a
// 9000-byte underlay (VMs at 1500) and over a 1500-byte one (VMs at 1442), and with vm-002 on a second machine reached
// over ssh (a netns running sshd, the underlay an ssh tunnel), in one run:
// TCP throughput and ping latency between them over net 1, and the memory of each host's OVS and OVN daemons.
// Run: node --import ./packages/cli/bin/register-sources.mjs bench/hosts.ts [seconds]   (pnpm bench:hosts; root)
import './built-cli.js'
import { execa } from 'execa'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  TEST_ACCEL,
  TestNetns,
  ensureTestImage,
  removeTestFiles,
  xclusterInClusterNetns,
} from '@xcluster/test-support/netns'
import { SshMachine } from '@xcluster/test-support/ssh-machine'
import { rssMiB } from './process-figures.js'

const seconds = Number(process.argv[2] ?? 10)

interface Row {
  setup: string
  mbits: number
  rttMs: number
  /** MiB of resident memory of the OVS and OVN daemons, by where they run. */
  memory: Record<string, number>
}

/** Resident memory in MiB of the daemons whose pid files are in `dir`. */
async function daemonsMiB(dir: string, names: string[]): Promise<number> {
  let mib = 0
  for (const name of names) mib += await rssMiB(Number((await readFile(join(dir, `${name}.pid`), 'utf8')).trim()))
  return mib
}

/** Where the VMs run: `sim:2`, or one simulated host and a machine over ssh made for the run. */
type Hosts = 'sim:2' | 'machine'

async function measure(label: string, setup: string, hosts?: Hosts, underlayMtu?: number): Promise<Row> {
  const user = `xh${label}${process.pid}`
  const host = await TestNetns.create(`bench-${label}`, { USER: user })
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-hosts-'))
  const stateDir = `/tmp/xcluster-${user}/${user}_xcluster1`
  const machine = hosts === 'machine' ? await SshMachine.create(host, 'bench') : undefined
  const options = { ...(underlayMtu ? { underlayMtu } : {}), ...(machine ? { sshConfig: machine.sshConfig } : {}) }
  const ovn = ['@xcluster/net-ovn', options]
  const spread = machine
    ? [
        { name: 'h1', via: 'sim' },
        { name: 'm2', via: machine.via, nodes: [2] },
      ]
    : hosts
  const config = { nodes: 2, routers: 0, mem: 64, plugins: [ovn], ...(spread ? { hosts: spread } : {}) }
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  const xc = xclusterInClusterNetns(user, () => dir)
  const check = async (step: string, result: Awaited<ReturnType<typeof xc>>) => {
    if (result.exitCode !== 0) throw new Error(`${label}: ${step} failed: ${result.stderr}`)
    return String(result.stdout)
  }
  try {
    await check('nsadd', await host.hostXcluster(['nsadd', '1'], { cwd: dir }))
    await check('start', await xc('start'))
    await check('iperf3 server', await xc('rsh', '2', 'iperf3 -s -D -1'))
    const iperf = JSON.parse(await check('iperf3', await xc('rsh', '1', `iperf3 -J -t ${seconds} -c 192.168.1.2`)))
    const ping = await check('ping', await xc('rsh', '1', 'ping -c 20 -i 0.2 192.168.1.2'))
    const rtt = Number(/= [\d.]+\/([\d.]+)\//.exec(ping)?.[1])
    const ovnDir = join(stateDir, 'ovn')
    const memory: Record<string, number> = {
      central:
        (await daemonsMiB(join(stateDir, 'ovs'), ['ovsdb-server', 'ovs-vswitchd'])) +
        (await daemonsMiB(ovnDir, ['nb', 'sb', 'ovn-northd', 'ovn-controller'])),
    }
    const chassis = ['ovsdb-server', 'ovs-vswitchd', 'ovn-controller']
    for (const sim of hosts === 'sim:2' ? ['h1', 'h2'] : hosts ? ['h1'] : [])
      memory[sim] = await daemonsMiB(join(ovnDir, sim), chassis)
    if (machine) {
      const [there] = await readdir(machine.path('run/xcluster'))
      memory.m2 = await daemonsMiB(machine.path(`run/xcluster/${there}`), chassis)
    }
    return {
      setup,
      mbits: iperf.end.sum_received.bits_per_second / 1e6,
      rttMs: rtt,
      memory,
    }
  } finally {
    await xc('stop')
    await host.hostXcluster(['nsdel', '1'], { cwd: dir })
    await machine?.remove()
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }
}

await ensureTestImage()
const rows = [
  await measure('one', 'one host'),
  await measure('two', 'two simulated hosts, 9000-byte underlay, VM MTU 1500', 'sim:2'),
  await measure('small', 'two simulated hosts, 1500-byte underlay, VM MTU 1442', 'sim:2', 1500),
  await measure('ssh', 'a simulated host and a machine over ssh, 9000-byte tunnel, VM MTU 1500', 'machine'),
]
const [base] = rows
console.log(`accelerator: ${TEST_ACCEL}, iperf3 -t ${seconds}, vm-001 -> vm-002 over net 1, 20 pings, one run\n`)
console.log('| setup | TCP throughput | x one host | ping rtt avg | OVS + OVN memory |\n|---|---|---|---|---|')
for (const { setup, mbits, rttMs, memory } of rows) {
  const mib = Object.entries(memory)
    .map(([where, value]) => `${where} ${value.toFixed(0)} MiB`)
    .join(', ')
  console.log(
    `| ${setup} | ${mbits.toFixed(0)} Mbit/s | ${(mbits / base.mbits).toFixed(2)} | ${rttMs.toFixed(2)} ms | ${mib} |`,
  )
}
