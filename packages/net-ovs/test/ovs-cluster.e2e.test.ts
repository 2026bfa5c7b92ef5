import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import {
  TEST_ACCEL,
  type TestNetns,
  XCLUSTER_BIN,
  ensureTestImage,
  removeTestFiles,
  xclusterInClusterNetns,
} from '@xcluster/test-support/netns'

const BOOT = 240_000
const user = `xo${process.pid}`
const clusterNs = `${user}_xcluster1`
const stateDir = `/tmp/xcluster-${user}/${clusterNs}`
const db = `unix:${stateDir}/ovs/db.sock`

let host: TestNetns
let dir: string
const xc = xclusterInClusterNetns(user, () => dir)
const inCluster = (...args: string[]) => execa('ip', ['netns', 'exec', clusterNs, ...args], { reject: false })
const links = async () =>
  (await execa('ip', ['-n', clusterNs, '-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0])

beforeAll(async () => {
  await ensureTestImage()
  ;({ host, dir } = await clusterNetnsProject('ovs', user, {
    nodes: 2,
    routers: 0,
    plugins: [['@xcluster/net-ovs', { vlans: { 1: 100 } }]],
  }))
}, BOOT)

afterAll(() => removeClusterNetnsProject(host, dir, user), BOOT)

describe('a cluster on Open vSwitch in its own netns', () => {
  test(
    'two VMs boot on OVS bridges, talk over net 1, are reached from the netns; stop leaves nothing, nsdel neither',
    async () => {
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([
        0,
        expect.stringMatching(/up: vm-001$[\s\S]*up: vm-002$|up: vm-002$[\s\S]*up: vm-001$/m),
      ])
      expect(start.stdout).toContain(
        'ovs: daemons of its own, datapath netdev (user space: no openvswitch kernel module), bridges xcovs0 xcovs1',
      )

      const show = (await execa('ovs-vsctl', [`--db=${db}`, 'show'])).stdout
      for (const name of [
        'Bridge xcovs0',
        'Bridge xcovs1',
        'Port xcbr0_t1',
        'Port xcbr0_t2',
        'Port xcbr1_t1',
        'Port xcbr1_t2',
      ])
        expect(show).toContain(name)
      expect(show).toMatch(/Port xcbr1_t1\n\s+tag: 100/)
      // The host side moved from the Linux bridge to the OVS one.
      expect((await inCluster('ip', '-o', 'addr', 'show', 'dev', 'xcovs0')).stdout).toContain('inet 192.168.0.250/24')

      // ssh (TCP through the user-space datapath) and ping across net 1, VLAN-tagged.
      expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
      expect((await inCluster('ping', '-c1', '-W5', '192.168.0.1')).exitCode).toBe(0)
      expect((await inCluster('ping', '-c1', '-W5', '192.168.0.2')).exitCode).toBe(0)

      expect((await xc('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
      expect((await links()).filter((name) => /^xcovs|_t\d+$/.test(name))).toEqual([])
      expect((await readdir(stateDir).catch(() => [] as string[])).filter((file) => file.startsWith('ovs'))).toEqual([])
      expect((await inCluster('ip', '-o', 'addr', 'show', 'dev', 'xcbr0')).stdout).toContain('inet 192.168.0.250/24')

      expect((await host.hostXcluster(['nsdel', '1'], { cwd: dir })).exitCode).toBe(0)
      expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(clusterNs)
    },
    BOOT,
  )

  test(
    'plugins given on the command line are remembered: a plain status and stop use OVS; daemons that died are' +
      ' started again',
    async () => {
      const ns2 = `${user}_xcluster2`
      const state2 = `/tmp/xcluster-${user}/${ns2}`
      const plain = await mkdtemp(join(tmpdir(), 'xcluster-ovs-plain-'))
      const xc2 = (...args: string[]) =>
        execa('ip', ['netns', 'exec', ns2, XCLUSTER_BIN, ...args], {
          cwd: plain,
          reject: false,
          env: { USER: user, XCLUSTER_ACCEL: TEST_ACCEL },
        })
      const ownDaemons = async () =>
        (await execa('pgrep', ['-f', '--', `${state2}/ovs/`], { reject: false })).stdout
          .split('\n')
          .filter(Boolean)
          .map(Number)
      try {
        await writeFile(join(plain, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0 }))
        expect((await host.hostXcluster(['nsadd', '2'], { cwd: plain })).exitCode).toBe(0)
        expect((await xc2('start', '--plugins=@xcluster/net-ovs')).exitCode).toBe(0)
        const status = await xc2('status')
        expect([status.exitCode, status.stdout]).toEqual([0, expect.stringContaining('ovs: daemons of its own')])

        // The daemons die (a user's kill, an OOM): status says so, and a start brings them back over stale pid files
        // and sockets.
        for (const pid of await ownDaemons()) process.kill(pid, 'SIGKILL')
        const dead = await xc2('status')
        expect([dead.exitCode, dead.stderr]).toEqual([1, expect.stringContaining('Open vSwitch daemons are gone')])
        expect((await xc2('start')).exitCode).toBe(0)
        expect((await xc2('rsh', '1', 'ping -c1 -W5 192.168.0.250')).exitCode).toBe(0)

        expect((await xc2('stop')).exitCode).toBe(0)
        expect(await ownDaemons()).toEqual([])
        expect((await execa('ip', ['-n', ns2, '-o', 'link', 'show'])).stdout).not.toMatch(/xcovs/)
      } finally {
        await xc2('stop')
        await host.hostXcluster(['nsdel', '2'], { cwd: plain })
        await removeTestFiles(plain)
      }
    },
    BOOT,
  )

  test('bad options are refused before anything is made', async () => {
    const badDir = await mkdtemp(join(tmpdir(), 'xcluster-ovs-bad-'))
    try {
      await writeFile(
        join(badDir, 'xcluster.config.json'),
        JSON.stringify({ plugins: [['@xcluster/net-ovs', { vlans: { 1: 5000 } }]] }),
      )
      const start = await host.xcluster(['start'], { cwd: badDir })
      expect([start.exitCode, start.stderr]).toEqual([
        1,
        'xcluster start: ovs(): vlans[1] = 5000 must be a VLAN tag 1-4094',
      ])
    } finally {
      await removeTestFiles(badDir)
    }
  })
})
