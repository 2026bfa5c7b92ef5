import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { processExists } from '@xcluster/core'
import { existsSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { onConsole } from '@xcluster/test-support/console'
import { keepRunning } from '@xcluster/test-support/running-cluster'
import { type TestNetns, XCLUSTER_BIN, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'
import { MACHINE_PROJECT, SshMachine } from '@xcluster/test-support/ssh-machine'

const BOOT = 300_000
const user = `xs${process.pid}`
const stateDir = `/tmp/xcluster-${user}/${user}_xcluster1`

let host: TestNetns
let machine: SshMachine
let dir: string
let start: Awaited<ReturnType<typeof xc>>
let refusals: Awaited<ReturnType<typeof refusedStarts>>
const xc = xclusterInClusterNetns(user, () => dir)

/** The cluster's directories on the machine (/run/xcluster/...), as this machine sees them. */
const machineDirs = async () => (await readdir(machine.path('run/xcluster')).catch(() => [] as string[])).sort()

/** The installed net-ovn's manifest on the machine. */
const machineManifest = () => machine.path(`${MACHINE_PROJECT}/node_modules/@xcluster/net-ovn/package.json`)

beforeAll(async () => {
  await ensureTestImage()
  ;({ host, dir } = await clusterNetnsProject('ovns', user, {}))
  machine = await SshMachine.create(host, 'm2')
  // vm-001 on a simulated host here, vm-002 on the machine over ssh.
  const config = {
    nodes: 2,
    routers: 0,
    testers: 0,
    mem: 64,
    hosts: [
      { name: 'here', via: 'sim' },
      { name: 'm2', via: machine.via, nodes: [2, 3] },
    ],
    plugins: [['@xcluster/net-ovn', { sshConfig: machine.sshConfig }]],
  }
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  refusals = await refusedStarts()
  start = await xc('start')
}, BOOT)

/** What is made of the cluster, here and on the machine. */
const madeOfIt = async () => ({ ovn: existsSync(join(stateDir, 'ovn')), machine: await machineDirs() })

/**
 * Starts that must be refused, made before the cluster's first start (the check comes before a cluster is made): one
 * with a machine that does not answer, one with the machine's package at another version; and what each left.
 */
async function refusedStarts() {
  const unreached = await xc('start', `--hosts=here=sim m9=ssh://root@10.251.0.9${MACHINE_PROJECT}`)
  const afterUnreached = await madeOfIt()
  const manifest = await readFile(machineManifest(), 'utf8')
  try {
    await writeFile(machineManifest(), JSON.stringify({ ...JSON.parse(manifest), version: '0.0.1' }))
    const otherVersion = await xc('start')
    return { unreached, afterUnreached, otherVersion, afterOtherVersion: await madeOfIt() }
  } finally {
    await writeFile(machineManifest(), manifest)
  }
}

afterAll(async () => {
  await removeClusterNetnsProject(host, dir, user)
  await machine?.remove()
}, BOOT)

describe('a machine that cannot serve as a host', () => {
  test('one that does not answer, or has another version of the package, is refused: nothing is made', async () => {
    const { unreached, afterUnreached, otherVersion, afterOtherVersion } = refusals
    expect([unreached.exitCode, unreached.stderr]).toEqual([
      1,
      expect.stringMatching(
        /hosts that cannot be reached:\n {2}host m9 \(ssh:\/\/root@10\.251\.0\.9\/run\/lab\): hello: /,
      ),
    ])
    const version = JSON.parse(await readFile(machineManifest(), 'utf8')).version
    expect([otherVersion.exitCode, otherVersion.stderr]).toEqual([
      1,
      expect.stringContaining(
        `m2 (${machine.via}) has @xcluster/net-ovn 0.0.1 in ${MACHINE_PROJECT}, this machine ${version}`,
      ),
    ])
    for (const left of [afterUnreached, afterOtherVersion]) expect(left).toEqual({ ovn: false, machine: [] })
  })
})

describe('a host that is a machine reached over ssh', () => {
  // One cluster for every test, in any order: one that stops it leaves the others a cluster started again.
  beforeEach(() => keepRunning(xc, [1, 2]), BOOT)

  test(
    'a VM runs in qemu on the machine, from files copied there, with its pid file, console and sockets here',
    async () => {
      expect([start.exitCode, start.exitCode === 0 ? '' : start.stderr]).toEqual([0, ''])
      expect(start.stderr).toContain(`vm-002: on host m2 (${machine.via})`)
      expect((await xc('status')).stdout).toMatch(
        /^ovn hosts: here \(10\.250\.0\.1\): vm-001; m2 \(10\.250\.0\.2\): vm-002$/m,
      )
      const [there] = await machineDirs()
      expect(there).toMatch(/\.xcluster-xs\d+_xcluster1\.m2$/)
      const files = await readdir(machine.path(`run/xcluster/${there}`))
      expect(files).toEqual(expect.arrayContaining(['kernel', 'initrd', 'image.qcow2', 'cdrom.iso', 'vm-002.qcow2']))
      // The qemu there is the machine's process; here its pid file holds the ssh process that stands for it.
      const qemu = Number(await readFile(machine.path(`run/xcluster/${there}/vm-002.pid`), 'utf8'))
      expect(await readFile(`/proc/${qemu}/cmdline`, 'utf8')).toContain(`/run/xcluster/${there}/vm-002.qcow2`)
      const standIn = Number(await readFile(join(stateDir, 'vm-002.pid'), 'utf8'))
      expect((await readFile(`/proc/${standIn}/cmdline`, 'utf8')).split('\0')[0]).toBe('ssh')
    },
    BOOT,
  )

  test(
    'the VMs reach each other over nets 0 and 1 through the tunnel, by address and by name',
    async () => {
      const ping = await xc('rsh', '1', 'ping -c1 -W5 192.168.0.2 && ping -c1 -W5 192.168.1.2 && ping -c1 -W5 vm-002')
      expect([ping.exitCode, ping.stderr]).toEqual([0, ''])
      const back = await xc('rsh', '2', 'ping -c1 -W5 1000::1:192.168.1.1 && nslookup vm-001.xcluster')
      expect([back.exitCode, back.stdout]).toEqual([0, expect.stringContaining('Address: 192.168.0.1')])
      expect((await xc('rsh', '1', 'iperf3 -s -D -1')).exitCode).toBe(0)
      const bulk = await xc('rsh', '2', 'iperf3 -c 192.168.1.1 -n 2M')
      expect([bulk.exitCode, bulk.stdout]).toEqual([0, expect.stringContaining('receiver')])
    },
    BOOT,
  )

  test(
    "rcp, the console and QMP's pause and reset reach the VM on the machine",
    async () => {
      const copy = join(dir, 'hostname-of-2')
      expect((await xc('rcp', '2', '/proc/sys/kernel/hostname', copy)).exitCode).toBe(0)
      expect((await readFile(copy, 'utf8')).trim()).toBe('vm-002')
      const console = ['ip', 'netns', 'exec', `${user}_xcluster1`, XCLUSTER_BIN, 'vm', '2']
      const { output } = await onConsole(console, { cwd: dir, env: { USER: user } }, 'echo on-$(hostname)', /on-vm-002/)
      expect(output).toContain('on-vm-002')
      expect((await xc('stop-vm', '2')).exitCode).toBe(0)
      expect((await xc('status')).stdout).toMatch(/^vm-002 +paused/m)
      expect((await xc('rsh', '1', 'ping -c2 -W2 192.168.1.2')).exitCode).not.toBe(0)
      expect((await xc('cont-vm', '2')).exitCode).toBe(0)
      const reset = await xc('reset-vm', '2')
      expect([reset.exitCode, reset.stdout]).toEqual([0, expect.stringContaining('vm-002 reset and up again')])
      expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
    },
    BOOT,
  )

  test(
    'scaleout boots a VM on the machine, scalein ends its qemu there and removes its files',
    async () => {
      const out = await xc('scaleout', '3')
      expect([out.exitCode, out.stderr]).toEqual([0, expect.stringContaining(`vm-003: on host m2 (${machine.via})`)])
      expect((await xc('rsh', '3', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
      const [there] = await machineDirs()
      const qemu = Number(await readFile(machine.path(`run/xcluster/${there}/vm-003.pid`), 'utf8'))
      expect((await xc('scalein', '3')).exitCode).toBe(0)
      expect(processExists(qemu)).toBe(false)
      const files = await readdir(machine.path(`run/xcluster/${there}`))
      expect(files.filter((file) => file.startsWith('vm-003.'))).toEqual([])
      expect((await xc('status')).stdout).toMatch(
        /^ovn hosts: here \(10\.250\.0\.1\): vm-001; m2 \(10\.250\.0\.2\): vm-002$/m,
      )
    },
    BOOT,
  )

  test(
    'a machine off the network is a status problem and named by stop; a stop once it answers leaves nothing anywhere',
    async () => {
      const [there] = await machineDirs()
      const qemu = Number(await readFile(machine.path(`run/xcluster/${there}/vm-002.pid`), 'utf8'))
      await machine.setLink('down')
      try {
        const status = await xc('status')
        expect([status.exitCode, status.stdout]).toEqual([
          1,
          expect.stringMatching(/^ovn host m2 \(ssh:.*\): (it does not answer|its underlay's ssh tunnel .* is gone)/m),
        ])
        const stop = await xc('stop')
        expect([stop.exitCode, stop.stderr]).toEqual([1, expect.stringContaining(`host m2 (${machine.via}): down: `)])
        // Here everything of the cluster's went but the record of what is left there.
        expect(await qemuPidsOf(stateDir)).toEqual([])
        expect(await readdir(stateDir)).toEqual(expect.arrayContaining(['ovn.json']))
        expect(processExists(qemu)).toBe(true)
      } finally {
        await machine.setLink('up')
      }
      // The VM, the chassis and files there, the tunnel and the stand-ins here: nothing is left.
      expect((await xc('stop')).exitCode).toBe(0)
      expect(await machineDirs()).toEqual([])
      expect(processExists(qemu)).toBe(false)
      // Every ssh process of this cluster names the machine's ssh config (another test's machine has its own).
      expect((await execa('pgrep', ['-f', '--', machine.sshConfig], { reject: false })).stdout).toBe('')
      expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
      const links = (await execa('ip', ['-n', `${user}_xcluster1`, '-br', 'link'])).stdout
      expect(links).not.toMatch(/tap1\d\d|xcovn|xcov\d/)
      expect(existsSync(stateDir)).toBe(false)
    },
    BOOT,
  )
})
