import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { onConsole } from '@xcluster/test-support/console'
import { type TestNetns, XCLUSTER_BIN, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'
import { keepRunning } from '@xcluster/test-support/running-cluster'

const BOOT = 300_000
const user = `xw${process.pid}`
const clusterNs = `${user}_xcluster1`
const stateDir = `/tmp/xcluster-${user}/${clusterNs}`
const IDS = [1, 2, 3, 201, 202, 221]
const name = (id: number) => `vm-${String(id).padStart(3, '0')}`
/** Every address of the cluster on nets 1 and 2 (xnet: vms on 1, testers on 2, routers on both). */
const ADDRESSES: [number, string][] = [
  ...[1, 2, 3, 201, 202].map((id): [number, string] => [id, `192.168.1.${id}`]),
  ...[201, 202, 221].map((id): [number, string] => [id, `192.168.2.${id}`]),
]

let host: TestNetns
let dir: string
let start: Awaited<ReturnType<typeof xc>>
const xc = xclusterInClusterNetns(user, () => dir)
/** Starts say where the cluster runs; every other command finds it in the cluster's record. */
const xcHosts = (...args: string[]) => xc(...args, ...(args[0] === 'start' ? ['--hosts=sim:2'] : []))
const inCluster = (...args: string[]) => execa('ip', ['netns', 'exec', clusterNs, ...args], { reject: false })
/** The network namespace a process runs in. */
const netnsOf = (pid: number) => readlink(`/proc/${pid}/ns/net`)
const pidIn = async (file: string) => Number((await readFile(join(stateDir, file), 'utf8')).trim())

/** The addresses a VM does not reach (IPv4 and IPv6, a second try for neighbour discovery on a busy host). */
async function unreached(from: number): Promise<string> {
  const targets = ADDRESSES.filter(([id]) => id !== from).flatMap(([, a]) => [a, `1000::1:${a}`])
  const ping = (count: number) => `ping -c${count} -W3 $a >/dev/null 2>&1`
  const loop = `for a in ${targets.join(' ')}; do ${ping(1)} || ${ping(3)} || echo "$a"; done`
  const run = await xc('rsh', String(from), loop)
  return `${run.stdout}${run.exitCode === 0 ? '' : `rsh exit ${run.exitCode}: ${run.stderr}`}`
}

beforeAll(async () => {
  await ensureTestImage()
  ;({ host, dir } = await clusterNetnsProject('ovnh', user, {
    nodes: 3,
    routers: 2,
    testers: 1,
    mem: 64,
    plugins: ['@xcluster/net-ovn', ['@xcluster/ovl-network-topology', { name: 'xnet' }]],
  }))
  start = await xcHosts('start')
}, BOOT)

afterAll(() => removeClusterNetnsProject(host, dir, user), BOOT)

describe('a cluster on OVN across two simulated hosts', () => {
  // One cluster for every test, in any order: one that stops it leaves the others a cluster started again.
  beforeEach(() => keepRunning(xcHosts, IDS), BOOT)

  test("each role is spread over the hosts, each qemu in its host's network namespace", async () => {
    // A failed start shows what it said.
    expect([start.exitCode, start.exitCode === 0 ? '' : start.stderr]).toEqual([0, ''])
    expect(start.stderr).toContain('h1 (sim), h2 (sim)')
    const status = await xc('status')
    expect(status.stdout).toContain(
      'ovn hosts: h1 (10.250.0.1): vm-001 vm-003 vm-202; h2 (10.250.0.2): vm-002 vm-201 vm-221',
    )
    for (const [id, sim] of [
      [1, 'h1'],
      [202, 'h1'],
      [2, 'h2'],
      [201, 'h2'],
      [221, 'h2'],
    ] as const) {
      const anchor = await pidIn(`ovn/${sim}/ovsdb-server.pid`)
      expect([id, await netnsOf(await pidIn(`${name(id)}.pid`))]).toEqual([id, await netnsOf(anchor)])
    }
    const dot = (await xc('status', '--dot')).stdout
    expect(dot).toMatch(/subgraph cluster_host\d \{ label="h2 \(sim\) 10\.250\.0\.2"; style="dashed"; vm221 \[/)
  })

  test(
    'every VM reaches every other over nets 1 and 2, IPv4 and IPv6, through routers on either host',
    async () => {
      for (const id of IDS) expect([id, await unreached(id)]).toEqual([id, ''])
    },
    BOOT,
  )

  test(
    'every VM resolves every VM by name, and bulk TCP crosses the hosts',
    async () => {
      const lookups = await xc('rsh', '221', IDS.map((id) => `nslookup ${name(id)}.xcluster`).join('; '))
      for (const id of IDS)
        expect([id, lookups.stdout]).toEqual([
          id,
          expect.stringMatching(new RegExp(`Address: 192\\.168\\.\\d\\.${id}\\n`)),
        ])
      // From h1 to h2 through a router: the underlay's 9000 bytes leave the VMs their 1500.
      expect((await xc('rsh', '221', 'iperf3 -s -D -1')).exitCode).toBe(0)
      const bulk = await xc('rsh', '1', 'iperf3 -c 192.168.2.221 -n 4M')
      expect([bulk.exitCode, bulk.stdout]).toEqual([0, expect.stringContaining('receiver')])
    },
    BOOT,
  )

  test(
    'scaleout places the new VM on the host with fewer VMs of its role',
    async () => {
      const out = await xc('scaleout', '4')
      expect([out.exitCode, out.stderr]).toEqual([0, expect.stringContaining('vm-004: on host h2 (sim)')])
      expect((await xc('rsh', '4', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
      expect((await xc('rsh', '4', 'ping -c1 -W5 192.168.2.221 || ping -c3 -W3 192.168.2.221')).exitCode).toBe(0)
      expect((await xc('status')).stdout).toMatch(/^ovn hosts: .*h2 \(10\.250\.0\.2\): vm-002 vm-004 vm-201 vm-221$/m)
      expect((await xc('scalein', '4')).exitCode).toBe(0)
      expect((await xc('status')).stdout).toMatch(/^ovn hosts: .*h2 \(10\.250\.0\.2\): vm-002 vm-201 vm-221$/m)
    },
    BOOT,
  )

  test(
    'rcp, the console, tcpdump and netem reach a VM on the other host',
    async () => {
      const copy = join(dir, 'hostname-of-vm-002')
      expect((await xc('rcp', '2', '/proc/sys/kernel/hostname', copy)).exitCode).toBe(0)
      expect((await readFile(copy, 'utf8')).trim()).toBe('vm-002')
      const console = ['ip', 'netns', 'exec', clusterNs, XCLUSTER_BIN, 'vm', '2']
      const { output } = await onConsole(console, { cwd: dir, env: { USER: user } }, 'echo on-$(hostname)', /on-vm-002/)
      expect(output).toContain('on-vm-002')
      const pcap = join(dir, 'ping.pcap')
      expect((await xc('tcpdump', '--start', '2', 'eth1', 'icmp')).exitCode).toBe(0)
      await xc('rsh', '1', 'ping -c3 -i0.3 192.168.1.2')
      expect((await xc('tcpdump', '--get', '2', 'eth1', '-o', pcap)).exitCode).toBe(0)
      expect((await execa('tcpdump', ['-n', '-r', pcap])).stdout).toMatch(/192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo/)
      // The least of 6 pings gains most of the 100 ms, whatever the machine's load.
      const rtt = async () => {
        const ping = await xc('rsh', '1', 'ping -c6 -i0.2 192.168.1.2')
        return Number(/= ([\d.]+)\//.exec(ping.stdout)?.[1])
      }
      const before = await rtt()
      try {
        expect((await xc('netem', '2', '1', '--delay=100ms')).exitCode).toBe(0)
        expect(await rtt()).toBeGreaterThanOrEqual(before + 80)
      } finally {
        await xc('netem', '2', '1', '--clear')
      }
    },
    BOOT,
  )

  test(
    'stop leaves no VM, daemon, host namespace, tap, veth or northbound database',
    async () => {
      const anchors = await Promise.all(['h1', 'h2'].map((sim) => pidIn(`ovn/${sim}/ovsdb-server.pid`)))
      expect((await xc('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
      for (const pid of anchors) await expect(readlink(`/proc/${pid}/ns/net`)).rejects.toThrow()
      expect(existsSync(join(stateDir, 'ovn'))).toBe(false)
      const links = (await inCluster('ip', '-o', 'link', 'show')).stdout
      expect(links).not.toMatch(/xcovn|xcov\d|_t\d+/)
    },
    BOOT,
  )
})
