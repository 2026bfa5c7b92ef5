import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { readdir } from 'node:fs/promises'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { type TestNetns, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'

const BOOT = 240_000
const user = `xv${process.pid}`
const clusterNs = `${user}_xcluster1`
const stateDir = `/tmp/xcluster-${user}/${clusterNs}`
const cluster = `xcluster-${clusterNs}`

let host: TestNetns
let dir: string
const xc = xclusterInClusterNetns(user, () => dir)
const inCluster = (...args: string[]) => execa('ip', ['netns', 'exec', clusterNs, ...args], { reject: false })
const nbctl = (...args: string[]) => inCluster('ovn-nbctl', `--db=unix:${stateDir}/ovn/nb.sock`, ...args)
/** The cluster's rows of a northbound table, by the tag every one of them has. */
const rows = async (table: string) =>
  (await nbctl('--bare', '--columns=name', 'find', table, `external_ids:xcluster=${cluster}`)).stdout
    .split('\n')
    .filter(Boolean)
    .sort()
const taps = async () =>
  (await inCluster('ip', '-o', 'link', 'show')).stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0])
    .filter((name) => /_t\d+$|^xcovn/.test(name ?? ''))

beforeAll(async () => {
  await ensureTestImage()
  ;({ host, dir } = await clusterNetnsProject('ovn', user, {
    nodes: 2,
    routers: 1,
    mem: 64,
    plugins: ['@xcluster/net-ovn'],
  }))
}, BOOT)

afterAll(() => removeClusterNetnsProject(host, dir, user), BOOT)

describe('a cluster on OVN in its own netns', () => {
  test(
    'each net is a logical switch and each NIC a bound logical port, all tagged; VMs talk; stop leaves nothing',
    async () => {
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('up: vm-201')])
      expect(start.stdout).toContain(
        `ovn: ${cluster}: logical switches ${cluster}-net0 ${cluster}-net1 ${cluster}-net2`,
      )
      expect(await rows('logical_switch')).toEqual([0, 1, 2].map((net) => `${cluster}-net${net}`))
      // Two NICs each for the VMs, three for the router, and the host's port on each net.
      const ports = await rows('logical_switch_port')
      expect(ports).toHaveLength(2 * 2 + 3 + 3)
      for (const port of ports) expect((await nbctl('lsp-get-up', port)).stdout.trim()).toBe('up')
      // No port security, addresses unknown: a router may forward what is not its own.
      expect((await nbctl('lsp-get-addresses', `${cluster}-vm201-net1`)).stdout.trim()).toBe('unknown')
      expect((await nbctl('lsp-get-port-security', `${cluster}-vm201-net1`)).stdout.trim()).toBe('')

      // ssh from the netns over net 0 (TCP through the user-space datapath), pings over net 1 and 2, IPv4 and IPv6.
      expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
      expect((await xc('rsh', '2', 'ping -c1 -W5 1000::1:192.168.1.1')).exitCode).toBe(0)
      expect((await xc('rsh', '201', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
      expect((await inCluster('ping', '-c1', '-W5', '192.168.2.201')).exitCode).toBe(0)
      // Bulk TCP between VMs: it stalls through the user-space datapath unless checksums are made in the VM.
      expect((await xc('rsh', '2', 'iperf3 -s -D -1')).exitCode).toBe(0)
      const bulk = await xc('rsh', '1', 'iperf3 -c 192.168.1.2 -n 4M')
      expect([bulk.exitCode, bulk.stdout]).toEqual([0, expect.stringContaining('receiver')])

      // scalein takes the VM's logical ports and taps away.
      expect((await xc('scalein', '2')).exitCode).toBe(0)
      expect((await rows('logical_switch_port')).filter((port) => port.includes('-vm2-'))).toEqual([])
      expect((await taps()).filter((tap) => tap.endsWith('_t2'))).toEqual([])

      expect((await xc('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
      expect(await taps()).toEqual([])
      expect((await readdir(stateDir).catch(() => [] as string[])).filter((f) => /^ov[ns]/.test(f))).toEqual([])
      // The host side went back to the Linux bridges nsadd made.
      expect((await inCluster('ip', '-o', 'addr', 'show', 'dev', 'xcbr0')).stdout).toContain('inet 192.168.0.250/24')
    },
    BOOT,
  )
})
