import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { TestNetns, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'

const BOOT = 300_000
const user = `xl${process.pid}`
const stateDir = `/tmp/xcluster-${user}/${user}_xcluster1`

let host: TestNetns
let lab: TestNetns
let dir: string
const xc = xclusterInClusterNetns(user, () => dir)
const pidIn = async (file: string) => Number((await readFile(join(stateDir, file), 'utf8')).trim())

beforeAll(async () => {
  await ensureTestImage()
  // A network namespace of the user's own, standing in for a second machine.
  lab = await TestNetns.create('lab')
  ;({ host, dir } = await clusterNetnsProject('ovnl', user, {
    nodes: 2,
    routers: 0,
    mem: 64,
    hosts: [
      { name: 'here', via: 'sim' },
      { name: 'lab', via: `netns:${lab.name}`, nodes: [2] },
    ],
    // An underlay of Ethernet's size (the VMs get what Geneve leaves of it), and the central on the user's host.
    plugins: [['@xcluster/net-ovn', { underlayMtu: 1500, central: 'lab' }]],
  }))
}, BOOT)

afterAll(async () => {
  await removeClusterNetnsProject(host, dir, user)
  if (lab) await execa('ip', ['netns', 'del', lab.name])
}, BOOT)

/** The start failed saying `message`, and made none of the cluster's OVN. */
function refusedBeforeAnything(start: Awaited<ReturnType<typeof xc>>, message: string) {
  expect([start.exitCode, start.stderr]).toEqual([1, expect.stringContaining(message)])
  expect(existsSync(join(stateDir, 'ovn'))).toBe(false)
}

describe('a host that is a network namespace of the user', () => {
  test(
    'a netns that is not there is named before anything is made',
    async () => {
      const start = await xc('start', `--hosts=here=sim lab=netns:${lab.name} gone=netns:xcluster-no-such-netns`)
      refusedBeforeAnything(start, 'gone (netns:xcluster-no-such-netns): no /run/netns/xcluster-no-such-netns')
      expect(await qemuPidsOf(stateDir)).toEqual([])
    },
    BOOT,
  )

  test(
    'a central that is not one of the hosts is refused before anything is made',
    async () => {
      const config = join(dir, 'central-nowhere.json')
      const plugins = [['@xcluster/net-ovn', { central: 'nowhere' }]]
      await writeFile(config, JSON.stringify({ nodes: 1, routers: 0, hosts: [{ name: 'h1', via: 'sim' }], plugins }))
      const start = await xc('start', `--config=${config}`)
      refusedBeforeAnything(start, 'central "nowhere" is not one of the hosts (h1)')
    },
    BOOT,
  )

  test(
    'an mtu that does not fit through Geneve on the underlay is refused naming both numbers',
    async () => {
      const start = await xc('start', '--mtu=1500')
      refusedBeforeAnything(start, '--mtu=1500: must be at most 1442 on an underlay of 1500 bytes')
    },
    BOOT,
  )

  test(
    'runs the VMs its nodes list names, reached over Geneve, and is left as it was at stop',
    async () => {
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('vm-002: on host lab (netns:')])
      const status = (await xc('status')).stdout
      expect(status).toContain('ovn hosts: here (10.250.0.1): vm-001; lab (10.250.0.2): vm-002')
      expect(status).toMatch(/^ovn: \S+: central on lab; logical switches/m)
      // The central's databases and northd run in the lab namespace; the chassis reach it over the underlay.
      const inLab = (await execa('ip', ['netns', 'pids', lab.name])).stdout.split('\n').map(Number)
      for (const daemon of ['nb', 'sb', 'ovn-northd'])
        expect([daemon, inLab]).toEqual([daemon, expect.arrayContaining([await pidIn(`ovn/${daemon}.pid`)])])
      const identify = await execa('ip', ['netns', 'identify', String(await pidIn('vm-002.pid'))])
      expect(identify.stdout.split('\n')).toContain(lab.name)
      expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2 || ping -c3 -W3 192.168.1.2')).exitCode).toBe(0)
      expect((await xc('rsh', '2', 'ping -c1 -W5 1000::1:192.168.1.1')).exitCode).toBe(0)
      // Bulk TCP between the hosts at the MTU the underlay leaves.
      expect((await xc('rsh', '2', 'cat /sys/class/net/eth1/mtu')).stdout).toBe('1442')
      expect((await xc('rsh', '2', 'iperf3 -s -D -1')).exitCode).toBe(0)
      const bulk = await xc('rsh', '1', 'timeout 60 iperf3 -c 192.168.1.2 -n 4M')
      expect([bulk.exitCode, bulk.stdout]).toEqual([0, expect.stringContaining('receiver')])

      expect((await xc('stop')).exitCode).toBe(0)
      expect((await execa('ip', ['netns', 'pids', lab.name])).stdout).toBe('')
      const links = await lab.exec('ip', ['-o', 'link', 'show'])
      expect(links.stdout.split('\n').map((line) => line.split(': ')[1])).toEqual(['lo'])
    },
    BOOT,
  )

  test(
    'a host whose chassis died is named by status and scaleout, and stop still cleans it',
    async () => {
      expect((await xc('start')).exitCode).toBe(0)
      process.kill(await pidIn('ovn/lab/ovn-controller.pid'), 'SIGKILL')
      const label = `lab (netns:${lab.name})`
      expect((await xc('status')).stdout).toContain(`ovn host ${label}: ovn-controller not answering`)
      const out = await xc('scaleout', '3')
      expect([out.exitCode, out.stderr]).toEqual([
        1,
        expect.stringContaining(`host ${label}: ovn-controller not answering`),
      ])
      const stop = await xc('stop')
      expect([stop.exitCode, stop.stderr]).toEqual([
        0,
        expect.stringContaining(`stop: host ${label}: ovn-controller not answering`),
      ])
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect((await execa('ip', ['netns', 'pids', lab.name])).stdout).toBe('')
      const links = await lab.exec('ip', ['-o', 'link', 'show'])
      expect(links.stdout.split('\n').map((line) => line.split(': ')[1])).toEqual(['lo'])
    },
    BOOT,
  )
})
