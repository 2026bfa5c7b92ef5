import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { TestNetns, ensureTestImage, removeTestFiles, xclusterInClusterNetns } from '@xcluster/test-support/netns'
import { type Run, keepRunning } from '@xcluster/test-support/running-cluster'
import { startUi } from '@xcluster/test-support/lab-page'

const overlay = fileURLToPath(new URL('../../core/test/fixtures/overlays/eth1-from-hostname', import.meta.url))
const BOOT = 240_000
const user = `xb${process.pid}`
const clusterNs = `${user}_xcluster1`
const stateDir = `/tmp/xcluster-${user}/${clusterNs}`
const resolvOverride = `/etc/netns/${clusterNs}`

let host: TestNetns
let dir: string
let firstStart: Awaited<ReturnType<Run>>
/** xcluster inside the cluster netns, as a user does after `xcluster nsenter 1`. */
const xc = xclusterInClusterNetns(user, () => dir)
const inCluster = (...args: string[]) => execa('ip', ['netns', 'exec', clusterNs, ...args], { reject: false })
const taps = async () =>
  (await execa('ip', ['-n', clusterNs, '-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0])
    .filter((n) => /_t\d+$/.test(n))
    .sort()

beforeAll(async () => {
  await ensureTestImage()
  host = await TestNetns.create('br', { USER: user })
  dir = await mkdtemp(join(tmpdir(), 'xcluster-br-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 1, overlays: [overlay] }))
  expect((await host.hostXcluster(['nsadd', '1'], { cwd: dir })).exitCode).toBe(0)
  // `ip netns exec` shows /etc/netns/<ns>/resolv.conf as /etc/resolv.conf: a loopback stub, as with systemd-resolved.
  await mkdir(resolvOverride, { recursive: true })
  await writeFile(join(resolvOverride, 'resolv.conf'), 'nameserver 127.0.0.53\n')
  firstStart = await xc('start')
}, BOOT)

afterAll(async () => {
  await rm(resolvOverride, { recursive: true, force: true })
  await host.hostXcluster(['nsdel', '1'], { cwd: dir })
  await execa('ip', ['netns', 'del', host.name])
  await removeTestFiles(dir, `/tmp/xcluster-${user}`)
}, BOOT)

const everyTap = ['xcbr0_t1', 'xcbr0_t2', 'xcbr0_t201', 'xcbr1_t1', 'xcbr1_t2', 'xcbr1_t201', 'xcbr2_t201']

describe('a cluster on bridges and taps in its own netns', () => {
  beforeEach(() => keepRunning(xc, [1, 2, 201]), BOOT)

  test('starts two nodes and a router, warning that the loopback resolver will not answer there', () => {
    expect(firstStart.stderr).toContain('WARNING: /etc/resolv.conf names the loopback resolver 127.0.0.53')
    expect(firstStart.exitCode).toBe(0)
    expect(firstStart.stdout).toMatch(/vm-201 +running/)
  })

  test('every NIC is a tap on its bridge while the VMs run', async () => {
    expect(await taps()).toEqual(everyTap)
    expect((await execa('ip', ['-n', clusterNs, '-o', 'link', 'show', 'xcbr1_t201'])).stdout).toContain('master xcbr1')
  })

  test('nodes ping each other on net 1 and the host side on 192.168.0.250', async () => {
    expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
    expect((await xc('rsh', '201', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)
    expect((await xc('rsh', '2', 'ping -c1 -W5 192.168.0.250')).exitCode).toBe(0)
  })

  test("the page's server reports each NIC's rates from its tap, every second", async () => {
    const ui = await startUi({ name: clusterNs, env: { USER: user } }, dir)
    try {
      const events = `http://127.0.0.1:${ui.port}/events?token=${ui.token}`
      const listening = inCluster('curl', '-s', '-N', '-m', '4', events)
      // 1042-byte frames five times a second: about 5 kB/s sent by vm-001 on net 1 for 3 s.
      expect((await xc('rsh', '1', 'ping -c15 -i0.2 -s1000 192.168.1.2')).exitCode).toBe(0)
      const frames = (await listening).stdout.split('\n\n').filter((frame) => frame.startsWith('event: rates'))
      const rates = frames.map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)))
      expect(rates.length).toBeGreaterThanOrEqual(2)
      // vm-001's NICs are on nets 0 and 1, each a tap whose counters say what the VM sent and received.
      const vm1 = JSON.parse((await xc('status', '--json')).stdout).find((vm: { id: number }) => vm.id === 1)
      expect(vm1.hostLinks).toEqual(['xcbr0_t1', 'xcbr1_t1'])
      const sent = Math.max(...rates.map((rate) => rate['vm-001'][1]?.sent ?? 0))
      expect(sent).toBeGreaterThan(2000)
    } finally {
      await ui.stop()
    }
  })

  test('the host reaches every node on 192.168.0.I by ping and ssh (rsh); telnet is off unless asked', async () => {
    for (const id of [1, 2, 201]) expect((await inCluster('ping', '-c1', '-W5', `192.168.0.${id}`)).exitCode).toBe(0)
    expect((await xc('rsh', '201', 'hostname')).stdout).toBe('vm-201')
    expect((await inCluster('bash', '-c', 'exec 3<>/dev/tcp/192.168.0.1/23')).exitCode).not.toBe(0)
  })

  test('rcp copies a file out, as in user-space mode', async () => {
    expect((await xc('rcp', '1', '/etc/hostname-copy-test', 'x')).exitCode).not.toBe(0)
    expect((await xc('rcp', '1', '/etc/xcluster-test-overlay', 'overlay.txt')).exitCode).toBe(0)
    expect(await readFile(join(dir, 'overlay.txt'), 'utf8')).toContain('eth1-from-hostname')
  })

  test("scalein removes the VM's taps", async () => {
    expect((await xc('scalein', '2')).exitCode).toBe(0)
    expect(await taps()).toEqual(everyTap.filter((tap) => !tap.endsWith('_t2')))
  })

  test('a VM killed by SIGKILL is reported down (exit 1); status changes nothing: its taps wait for stop', async () => {
    process.kill(Number(await readFile(join(stateDir, 'vm-201.pid'), 'utf8')), 'SIGKILL')
    await new Promise((r) => setTimeout(r, 500))
    const status = await xc('status')
    expect(status.stdout).toMatch(/vm-201 +down/)
    expect(status.exitCode).toBe(1)
    expect(await taps()).toEqual(everyTap)
  })

  test('stop ends the VMs and removes every tap', async () => {
    expect((await xc('stop')).exitCode).toBe(0)
    expect(await taps()).toEqual([])
    expect(await qemuPidsOf(stateDir)).toEqual([])
  }, 60_000)
})
