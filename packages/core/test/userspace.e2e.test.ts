import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clusterFilesIn, qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { onConsole as typeOnConsole } from '@xcluster/test-support/console'
import { TestNetns, XCLUSTER_BIN, ensureTestImage } from '@xcluster/test-support/netns'
import { keepRunning } from '@xcluster/test-support/running-cluster'

const overlay = fileURLToPath(new URL('./fixtures/overlays/eth1-from-hostname', import.meta.url))
const BOOT = 240_000

let ns: TestNetns
let dir: string
let stateDir: string
let mkcdrom: Awaited<ReturnType<typeof xc>>
let firstStart: Awaited<ReturnType<typeof xc>>
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
const rsh = (id: number, command: string) => xc('rsh', String(id), command)

/** Types `line` on the console of a VM until its output matches `until`, then detaches with Ctrl-]. */
const onConsole = (id: number, line: string, until: RegExp) =>
  typeOnConsole(['ip', 'netns', 'exec', ns.name, XCLUSTER_BIN, 'vm', String(id)], { cwd: dir }, line, until)

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('us')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-us-'))
  stateDir = `/tmp/xcluster-root/${ns.name}`
  // Debian's cloud kernel, as a fresh machine boots it; the other suites boot the built one once scripts/test built it.
  await writeFile(
    join(dir, 'xcluster.config.json'),
    JSON.stringify({ nodes: 2, routers: 1, testers: 0, kernel: 'cloud' }),
  )
  mkcdrom = await xc('mkcdrom', overlay)
  // A setting given at start: what boots into the running cluster later gets it too.
  firstStart = await xc('start', '--mtu=1400')
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
}, BOOT)

describe('a user-space cluster of two nodes and a router, in a namespace with only lo', () => {
  beforeEach(() => keepRunning(xc, [1, 2, 201]), BOOT)

  test('mkcdrom selects an overlay and start boots every VM, then prints the status', () => {
    expect(mkcdrom.exitCode).toBe(0)
    for (const vm of ['vm-001', 'vm-002', 'vm-201'])
      expect(firstStart.stderr).toMatch(new RegExp(`^xcluster: up: ${vm}$`, 'm'))
    expect(firstStart.exitCode).toBe(0)
    expect(firstStart.stdout).toMatch(/vm-001 +running/)
    expect(firstStart.stdout).toMatch(/vm-201 +running .* router +nets 0,1,2/)
    // The status says plainly that socket nets are not private.
    expect(firstStart.stdout).toContain(
      'nets 1 (224.0.0.121:27030), 2 (224.0.0.122:27030): loopback multicast, not private: any local user can read' +
        ' and send frames there',
    )
  })

  test('each VM names itself from its eth0 MAC', async () => {
    expect((await rsh(1, 'hostname')).stdout).toBe('vm-001')
    expect((await rsh(201, 'hostname')).stdout).toBe('vm-201')
  })

  test('eth0 has 192.168.0.I and the IPv6 address from the prefix', async () => {
    const addresses = (await rsh(2, 'ip addr show dev eth0')).stdout
    expect(addresses).toContain('inet 192.168.0.2/24')
    expect(addresses).toContain('inet6 1000::1:c0a8:2/120')
  })

  test('vm-001 and vm-002 ping each other over net 1 (a socket net)', async () => {
    expect((await rsh(1, 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
    expect((await rsh(2, 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
  })

  test('the router reaches a node over net 1', async () => {
    expect((await rsh(201, 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
  })

  test('a VM reaches the host on 192.168.0.250', async () => {
    expect((await rsh(1, 'ping -c1 -W5 192.168.0.250')).exitCode).toBe(0)
  })

  test('no telnet shell is reachable unless the config asks: 127.0.0.1:12000+I refuses, ssh answers', async () => {
    expect((await ns.exec('bash', ['-c', 'exec 3<>/dev/tcp/127.0.0.1/12002'])).exitCode).not.toBe(0)
    expect((await ns.exec('bash', ['-c', 'exec 3<>/dev/tcp/127.0.0.1/12302'])).exitCode).toBe(0)
    expect((await rsh(2, 'pidof telnetd')).exitCode).toBe(1)
  })

  test('rsh returns the remote exit status', async () => {
    expect((await rsh(1, 'true')).exitCode).toBe(0)
    expect((await rsh(1, 'exit 7')).exitCode).toBe(7)
  })

  test('a file from the overlay is in the VM, and rcp copies it out', async () => {
    expect((await rsh(2, 'cat /etc/xcluster-test-overlay')).stdout).toBe('from the eth1-from-hostname overlay')
    const copy = await xc('rcp', '2', '/etc/xcluster-test-overlay', 'copied.txt')
    expect(copy.exitCode).toBe(0)
    expect(await readFile(join(dir, 'copied.txt'), 'utf8')).toBe('from the eth1-from-hostname overlay\n')
  })

  test(
    'over rsh, the network tools are the real ones: iproute2 ip, ss, bridge, tc and iputils ping, also in sh' +
      ' scripts',
    async () => {
      expect((await rsh(1, 'ip -br addr show dev eth0')).stdout).toMatch(/^eth0 +UP +192\.168\.0\.1\/24 /)
      expect(JSON.parse((await rsh(1, 'ip -j route')).stdout)).toContainEqual(
        expect.objectContaining({ dst: '192.168.0.0/24', dev: 'eth0' }),
      )
      expect((await rsh(1, 'ss -tln')).stdout).toMatch(/LISTEN +0 +\d+ +0\.0\.0\.0:22 /)
      expect((await rsh(1, 'bridge link')).exitCode).toBe(0)
      expect((await rsh(1, 'tc qdisc show dev eth0')).stdout).toMatch(/^qdisc \S+ 0: root/)
      const [eth1] = JSON.parse((await rsh(2, 'ip -j -6 addr show dev eth1 scope global')).stdout)
      const ping = await rsh(1, `ping -6 -c1 -W5 ${eth1.addr_info[0].local}`)
      expect(ping.exitCode).toBe(0)
      expect(ping.stdout).toContain('1 packets transmitted, 1 received')
      // A script run by sh (as overlays' rc scripts are) finds the same programs.
      const versions = (await rsh(1, "sh -c 'ip -V; ping -V; ss -V'")).stdout
      expect(versions).toMatch(/^ip utility, iproute2-/m)
      expect(versions).toMatch(/^ping from iputils /m)
      expect(versions).toMatch(/^ss utility, iproute2-/m)
    },
  )

  test('vm attaches the console; Ctrl-] detaches', async () => {
    const { output, exitCode } = await onConsole(1, 'echo console-$((6*7))', /console-42/)
    expect(output).toContain('console-42')
    expect(exitCode).toBe(0)
  }, 60_000)

  test('on the console too, `ip` is iproute2', async () => {
    const { output } = await onConsole(1, 'ip -br addr show dev eth0', /eth0 +UP +192\.168\.0\.1\/24/)
    expect(output).toMatch(/eth0 +UP +192\.168\.0\.1\/24/)
    expect(output).not.toContain('BusyBox')
  }, 60_000)

  test('with --no-restart, starting VMs that run is refused for those VMs only', async () => {
    const again = await xc('start', '--no-restart')
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toContain('vm-001 is already running')
    expect(again.stderr).toContain('vm-201 is already running')
    expect((await rsh(1, 'true')).exitCode).toBe(0)
  })

  test(
    'scaleout adds vm-003 with its role and nets; scalein removes it',
    async () => {
      try {
        expect((await xc('scaleout', '3')).exitCode).toBe(0)
        expect((await rsh(3, 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
      } finally {
        expect((await xc('scalein', '3')).exitCode).toBe(0)
      }
      const status = JSON.parse((await xc('status', '--json')).stdout)
      expect(status.map((vm: { id: number }) => vm.id)).toEqual([1, 2, 201])
      expect(await clusterFilesIn(stateDir)).not.toContain('vm-003.qcow2')
    },
    BOOT,
  )

  test(
    'a VM killed with SIGKILL shows as down, with exit status 1, run after run, until the command status names' +
      ' boots it again as it was started',
    async () => {
      const pid = Number(await readFile(join(stateDir, 'vm-002.pid'), 'utf8'))
      process.kill(pid, 'SIGKILL')
      await new Promise((r) => setTimeout(r, 500))
      for (const run of [1, 2]) {
        const status = await xc('status', '--json')
        expect([run, status.exitCode]).toEqual([run, 1])
        const vms = JSON.parse(status.stdout)
        expect(vms.find((vm: { id: number }) => vm.id === 2)).toMatchObject({ state: 'down', pid: null })
        expect(vms.find((vm: { id: number }) => vm.id === 1)).toMatchObject({ state: 'running' })
      }
      const hint = /1 VM is down: `xcluster (scaleout 2)` boots it again as it was started/.exec(
        (await xc('status')).stderr,
      )
      expect(hint?.[1]).toBe('scaleout 2')
      const start = await xc(...hint![1].split(' '))
      expect(start.stderr).toContain('up: vm-002')
      expect(start.stderr).not.toContain('booting vm-001')
      expect((await xc('status')).exitCode).toBe(0)
      expect((await rsh(2, 'hostname')).stdout).toBe('vm-002')
      expect((await rsh(2, 'cat /sys/class/net/eth1/mtu')).stdout).toBe('1400')
    },
    BOOT,
  )

  test('stop ends every qemu of the cluster and leaves no VM files or cdrom', async () => {
    expect(await qemuPidsOf(stateDir)).not.toHaveLength(0)
    const stop = await xc('stop')
    expect(stop.exitCode).toBe(0)
    expect(await qemuPidsOf(stateDir)).toEqual([])
    expect(await clusterFilesIn(stateDir)).toEqual([])
  }, 60_000)
})
