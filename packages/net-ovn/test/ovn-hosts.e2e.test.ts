import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { type TestNetns, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'
import { keepRunning } from '@xcluster/test-support/running-cluster'

const BOOT = 300_000
const user = `xw${process.pid}`
const clusterNs = `${user}_xcluster1`
const stateDir = `/tmp/xcluster-${user}/${clusterNs}`

let host: TestNetns
let dir: string
let start: Awaited<ReturnType<typeof xc>>
const xc = xclusterInClusterNetns(user, () => dir)
const inCluster = (...args: string[]) => execa('ip', ['netns', 'exec', clusterNs, ...args], { reject: false })
/** The network namespace a process runs in. */
const netnsOf = (pid: number) => readlink(`/proc/${pid}/ns/net`)
const pidIn = async (file: string) => Number((await readFile(join(stateDir, file), 'utf8')).trim())

beforeAll(async () => {
  await ensureTestImage()
  ;({ host, dir } = await clusterNetnsProject('ovnh', user, {
    nodes: 3,
    routers: 2,
    mem: 64,
    hosts: 'sim:2',
    plugins: ['@xcluster/net-ovn'],
  }))
  start = await xc('start')
}, BOOT)

afterAll(() => removeClusterNetnsProject(host, dir, user), BOOT)

describe('a cluster on OVN across two simulated hosts', () => {
  // One cluster for every test, in any order: one that stops it leaves the others a cluster started again.
  beforeEach(() => keepRunning(xc, [1, 2, 3, 201, 202]), BOOT)

  test("the VMs are placed on the hosts in turn, each qemu in its host's network namespace", async () => {
    expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('simulated hosts')])
    expect(start.stdout).toContain('ovn hosts: h1 (10.250.0.1): vm-001 vm-003 vm-202; h2 (10.250.0.2): vm-002 vm-201')
    for (const [vm, sim] of [
      ['001', 'h1'],
      ['002', 'h2'],
      ['201', 'h2'],
    ]) {
      const anchor = await pidIn(`ovn/${sim}/ovsdb-server.pid`)
      expect([vm, await netnsOf(await pidIn(`vm-${vm}.pid`))]).toEqual([vm, await netnsOf(anchor)])
    }
  })

  test(
    'every VM reaches every other over net 1 (IPv4 and IPv6) through Geneve, and the host side over net 0',
    async () => {
      for (const id of [2, 3, 201, 202]) {
        const last = String(id)
        expect([id, (await xc('rsh', '1', `ping -c1 -W5 192.168.1.${last}`)).exitCode]).toEqual([id, 0])
        expect([id, (await xc('rsh', '1', `ping -c1 -W5 1000::1:192.168.1.${last}`)).exitCode]).toEqual([id, 0])
        expect([id, (await xc('rsh', String(id), 'hostname')).stdout]).toEqual([id, `vm-${last.padStart(3, '0')}`])
      }
      expect((await xc('rsh', '2', 'nslookup vm-003.xcluster')).stdout).toContain('Address: 192.168.1.3')
      // Bulk TCP from h1 to h2: the underlay's 9000 bytes leave the VMs their 1500.
      expect((await xc('rsh', '2', 'iperf3 -s -D -1')).exitCode).toBe(0)
      const bulk = await xc('rsh', '1', 'iperf3 -c 192.168.1.2 -n 4M')
      expect([bulk.exitCode, bulk.stdout]).toEqual([0, expect.stringContaining('receiver')])
    },
    BOOT,
  )

  test(
    'scaleout places the new VM on the host with fewer VMs',
    async () => {
      const out = await xc('scaleout', '4')
      expect([out.exitCode, out.stderr]).toEqual([0, expect.stringContaining('vm-004: on simulated host h2')])
      expect((await xc('rsh', '4', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
    },
    BOOT,
  )

  test(
    'stop leaves no VM, daemon, host namespace, tap or underlay',
    async () => {
      const anchors = await Promise.all(['h1', 'h2'].map((sim) => pidIn(`ovn/${sim}/ovsdb-server.pid`)))
      expect((await xc('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
      for (const pid of anchors) await expect(readlink(`/proc/${pid}/ns/net`)).rejects.toThrow()
      const links = (await inCluster('ip', '-o', 'link', 'show')).stdout
      expect(links).not.toMatch(/xcovn|xcov\d|_t\d+/)
    },
    BOOT,
  )
})
