import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { lstat, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'
import { keepRunning } from '@xcluster/test-support/running-cluster'

const BOOT = 240_000
// A test that reboots a VM, or waits on pings and captures, under emulation on a busy host.
const SLOW = 180_000

let ns: TestNetns
let dir: string
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
const rsh = (id: number, command: string) => xc('rsh', String(id), command)

/**
 * The smallest round trip of 6 pings from vm-001 to vm-002 over net 1, in ms: a busy host only
 * ever adds time, so the minimum is what a delay is measured against.
 */
async function rttToVm2(): Promise<number> {
  const ping = await rsh(1, 'ping -c6 -i0.2 -W3 192.168.1.2')
  const min = /= ([\d.]+)\/[\d.]+\//.exec(ping.stdout)
  if (!min) throw new Error(`no round trip in: ${ping.stdout}${ping.stderr}`)
  return Number(min[1])
}

/** Chromium from Debian renders the SVG to a PNG, as a browser shows it; returns the PNG's width and height. */
async function renderInBrowser(svg: string): Promise<{ width: number; height: number; bytes: number }> {
  const png = `${svg}.png`
  // In the test's namespace: the browser reaches nothing but the file.
  const run = await ns.exec('chromium', [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--window-size=1600,1200',
    `--screenshot=${png}`,
    `file://${svg}`,
  ])
  expect(`exit ${run.exitCode}`).toBe('exit 0')
  const data = await readFile(png)
  expect(data.subarray(1, 4).toString()).toBe('PNG')
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bytes: data.length }
}

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('shape')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-shape-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0, testers: 0 }))
  expect((await xc('start')).exitCode).toBe(0)
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
}, BOOT)

describe('pictures of the network, drawn by Graphviz and shown by a real browser', () => {
  test(
    'topology show dual-path --svg holds every hostname and net address, and Chromium renders it',
    async () => {
      // A directory of its own: the cluster's config (no routers) contradicts dual-path's four.
      const own = await mkdtemp(join(tmpdir(), 'xcluster-shape-show-'))
      const svg = join(dir, 'dual-path.svg')
      const show = await ns.xcluster(['topology', 'show', 'dual-path', '--svg', '-o', svg], { cwd: own })
      await rm(own, { recursive: true, force: true })
      expect(`exit ${show.exitCode} ${show.stderr}`).toBe('exit 0 ')
      const text = await readFile(svg, 'utf8')
      // Graphviz writes a hyphen as &#45;.
      const plain = text.replace(/&#45;/g, '-')
      for (const host of ['vm-001', 'vm-002', 'vm-201', 'vm-202', 'vm-203', 'vm-204', 'vm-221', 'vm-222'])
        expect(plain).toContain(host)
      for (const net of [0, 1, 2, 3, 4, 5, 6]) {
        expect(plain).toContain(`192.168.${net}.0/24`)
        expect(plain).toContain(`1000::1:192.168.${net}.0/120`)
      }
      expect(plain).toContain('192.168.4.202/24') // a link label: vm-202's address on net 4
      const png = await renderInBrowser(svg)
      expect(png.width).toBeGreaterThan(100)
      expect(png.bytes).toBeGreaterThan(20_000)
    },
    SLOW,
  )

  test(
    'status --svg draws the running cluster with each VM, its state and addresses',
    async () => {
      const svg = join(dir, 'status.svg')
      expect((await xc('status', '--svg', '-o', svg)).exitCode).toBe(0)
      const plain = (await readFile(svg, 'utf8')).replace(/&#45;/g, '-')
      for (const text of [
        'vm-001',
        'vm-002',
        'running',
        '192.168.0.0/24',
        '192.168.1.0/24',
        '192.168.1.1/24',
        '192.168.1.2/24',
        'socket 224.0.0.121:27030 on lo',
      ])
        expect(plain).toContain(text)
      expect((await renderInBrowser(svg)).bytes).toBeGreaterThan(5_000)
      const dot = await xc('status', '--dot')
      expect(dot.stdout).toMatch(/^graph xcluster \{/)
      expect(dot.stdout).toContain('vm1 -- net1')
    },
    SLOW,
  )
})

describe('capture, link impairment, and one VM stopped or reset', () => {
  beforeEach(() => keepRunning(xc, [1, 2]), BOOT)

  test(
    'a capture of ping from vm-001 to vm-002 over net 1 is a pcap that tcpdump -r reads, with ICMP echo packets',
    async () => {
      const pcap = join(dir, 'ping.pcap')
      const capture = xc('tcpdump', '2', 'eth1', '--duration=8', '-o', pcap, 'icmp')
      await new Promise((r) => setTimeout(r, 3000))
      await rsh(1, 'ping -c3 -i0.3 192.168.1.2')
      expect((await capture).exitCode).toBe(0)
      const read = await execa('tcpdump', ['-n', '-r', pcap])
      expect(read.stdout).toMatch(/192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo request/)
      expect(read.stdout).toMatch(/192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo reply/)
    },
    SLOW,
  )

  test(
    'a background capture: --start, traffic, --get fetches the pcap; --get again says none runs',
    async () => {
      expect((await xc('tcpdump', '--start', '1', 'eth1', 'icmp')).exitCode).toBe(0)
      expect((await xc('tcpdump', '--start', '1', 'eth1')).stderr).toContain('a capture runs on eth1 already')
      // Each echo answered (the cluster is busy, not broken), so each is in the capture.
      expect((await rsh(1, 'ping -c3 -i0.3 -W5 192.168.1.2')).exitCode).toBe(0)
      const pcap = join(dir, 'bg.pcap')
      expect((await xc('tcpdump', '--get', '1', 'eth1', '-o', pcap)).exitCode).toBe(0)
      expect((await execa('tcpdump', ['-n', '-r', pcap])).stdout).toMatch(/ICMP echo request/)
      const fetched = await readFile(pcap)
      const again = await xc('tcpdump', '--get', '1', 'eth1', '-o', pcap)
      expect([again.exitCode, again.stderr]).toEqual([1, expect.stringContaining('no capture runs on eth1')])
      expect(await readFile(pcap)).toEqual(fetched) // the fetched file is left alone
    },
    SLOW,
  )

  test(
    'files the user names are replaced whole: a link there is replaced, not followed; a failed capture or copy keeps' +
      ' the old file',
    async () => {
      const victim = join(dir, 'victim')
      await writeFile(victim, 'precious\n')
      // A link where the default capture name goes (vm-001-eth1.pcap in the working directory).
      await symlink(victim, join(dir, 'vm-001-eth1.pcap'))
      expect((await xc('tcpdump', '1', 'eth1', '--duration=3')).exitCode).toBe(0)
      expect(await readFile(victim, 'utf8')).toBe('precious\n')
      expect((await lstat(join(dir, 'vm-001-eth1.pcap'))).isSymbolicLink()).toBe(false)
      // A capture that fails (a filter tcpdump cannot parse) and a copy of a missing file keep what is there.
      const kept = join(dir, 'kept')
      await writeFile(kept, 'old\n')
      expect((await xc('tcpdump', '1', 'eth1', '-o', kept, '--duration=3', 'not a filter ((')).exitCode).toBe(1)
      expect((await xc('rcp', '1', '/no/such/file', kept)).exitCode).not.toBe(0)
      expect(await readFile(kept, 'utf8')).toBe('old\n')
      // A copy that succeeds replaces it.
      expect((await xc('rcp', '1', '/proc/sys/kernel/hostname', kept)).exitCode).toBe(0)
      expect(await readFile(kept, 'utf8')).toBe('vm-001\n')
      expect((await readdir(dir)).filter((file) => file.endsWith('.part'))).toEqual([])
    },
    SLOW,
  )

  test(
    'tcpdump refuses an interface that is no interface name before it reaches the VM, and a filter tcpdump' +
      ' cannot parse',
    async () => {
      const bad = await xc('tcpdump', '1', 'eth1;reboot')
      expect([bad.exitCode, bad.stderr]).toEqual([1, expect.stringContaining('must be 1-15 letters, digits or _.@-')])
      const filter = await xc('tcpdump', '--start', '1', 'eth1', 'not a filter ((')
      expect([filter.exitCode, filter.stderr]).toEqual([1, expect.stringContaining("can't parse filter expression")])
      expect((await xc('tcpdump', '--stop', '1', 'eth1')).stderr).toContain('no capture runs on eth1')
    },
    SLOW,
  )

  test(
    '--delay=100ms on vm-002 net 1 adds most of 100 ms to every ping from vm-001; --show lists it; --clear restores it',
    async () => {
      const before = await rttToVm2()
      try {
        expect((await xc('netem', '2', '1', '--delay=100ms')).exitCode).toBe(0)
        // Every one of 6 pings is delayed: their minimum gains at least 80 of the 100 ms, whatever the host's load.
        expect(await rttToVm2()).toBeGreaterThanOrEqual(before + 80)
        expect((await xc('netem', '--show')).stdout).toMatch(/^vm-002 +net 1 +eth1 +delay 100ms/m)
      } finally {
        await xc('netem', '2', '1', '--clear')
      }
      expect(await rttToVm2()).toBeLessThan(before + 50)
      expect((await xc('netem', '--show')).stdout).toContain('no NIC of a running VM is shaped')
    },
    SLOW,
  )

  test(
    'netem refuses bad values naming each rule, and a net the VM is not on, before anything changes',
    async () => {
      const bad = await xc('netem', '2', '1', '--delay=fast', '--loss=120%', '--rate=10', '--jitter=5ms')
      expect(bad.exitCode).toBe(1)
      for (const rule of [
        '--delay="fast": must be a time',
        '--loss="120%": must be a percentage',
        '--rate="10": must be a rate',
      ])
        expect(bad.stderr).toContain(rule)
      expect((await xc('netem', '2', '7', '--delay=1ms')).stderr).toContain(
        'vm-002 has no NIC on net 7 (its nets: 0,1)',
      )
      expect((await xc('netem', '--show')).stdout).toContain('no NIC of a running VM is shaped')
    },
    SLOW,
  )

  test(
    'stop-vm freezes vm-002 (status: paused, no answer) while vm-001 runs; cont-vm lets it run on',
    async () => {
      try {
        expect((await xc('stop-vm', '2')).stdout).toBe('vm-002 paused')
        const status = JSON.parse((await xc('status', '--json')).stdout) as { hostname: string; state: string }[]
        expect(status.map((vm) => `${vm.hostname} ${vm.state}`)).toEqual(['vm-001 running', 'vm-002 paused'])
        expect((await rsh(1, 'ping -c1 -W2 192.168.1.2')).exitCode).not.toBe(0)
      } finally {
        await xc('cont-vm', '2')
      }
      expect((await rsh(1, 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
    },
    SLOW,
  )

  test(
    'reset-vm reboots vm-002 (fresh uptime) and waits until it answers; what it wrote and synced stays',
    async () => {
      await rsh(2, 'echo kept > /root/mark')
      const reset = await xc('reset-vm', '2')
      expect([reset.exitCode, reset.stdout]).toEqual([0, 'vm-002 reset and up again'])
      const after = await rsh(2, 'cat /root/mark; cut -d. -f1 /proc/uptime')
      const [mark, uptime] = after.stdout.split('\n')
      expect(mark).toBe('kept')
      expect(Number(uptime)).toBeLessThan(60)
    },
    SLOW,
  )
})

describe('a link taken down and up, as a pulled and plugged cable', () => {
  beforeEach(() => keepRunning(xc, [1, 2]), BOOT)

  test(
    'down: the guest sees NO-CARRIER, its route is linkdown and pings fail, status says so; up: pings pass',
    async () => {
      try {
        expect((await xc('link', '2', '1', 'down')).stdout).toBe('vm-002 net 1: link down')
        const seen = await rsh(2, 'ip link show eth1; ip route show dev eth1')
        expect(seen.stdout).toMatch(/eth1: <NO-CARRIER,/)
        expect(seen.stdout).toMatch(/^192\.168\.1\.0\/24 .* linkdown/m)
        expect((await rsh(1, 'ping -c2 -W2 192.168.1.2')).exitCode).not.toBe(0)
        expect((await xc('status')).stdout).toMatch(/^vm-002 .* link down: net 1$/m)
      } finally {
        expect((await xc('link', '2', '1', 'up')).stdout).toBe('vm-002 net 1: link up')
      }
      expect((await rsh(2, 'ip link show eth1')).stdout).not.toContain('NO-CARRIER')
      expect((await rsh(1, 'ping -c1 -W5 192.168.1.2 || ping -c3 -W3 192.168.1.2')).exitCode).toBe(0)
      expect((await xc('status')).stdout).not.toContain('link down')
    },
    SLOW,
  )

  test(
    'a timeline with a link flap and a netem delay runs each step at its time and every check passes',
    async () => {
      // The reply from vm-002 waits 200 ms: a round trip of at least 150 ms, however busy the host.
      const slow = 'm=$(ping -c3 -i0.3 -W3 192.168.1.2 | tail -1 | sed "s#.* = ##; s#/.*##"); [ "${m%.*}" -ge 150 ]'
      const timeline = [
        { at: '0s', rsh: [1, 'ping -c1 -W5 192.168.1.2'] },
        { at: '1s', link: [2, 1], state: 'down' },
        { at: '2s', rsh: [1, 'ping -c1 -W1 192.168.1.2'], expect: 'fail' },
        { at: '3s', link: [2, 1], state: 'up' },
        { at: '4s', rsh: [1, 'ping -c1 -W5 192.168.1.2 || ping -c2 -W3 192.168.1.2'] },
        { at: '5s', netem: [2, 1], delay: '200ms' },
        { at: '5s', rsh: [1, slow] },
        { at: '6s', netem: [2, 1], clear: true },
        { at: '6s', rsh: [1, slow], expect: 'fail' },
      ]
      await writeFile(join(dir, 'flap.json'), JSON.stringify(timeline))
      const run = await xc('faults', 'run', 'flap.json')
      expect([run.exitCode, run.stderr]).toEqual([0, ''])
      const lines = run.stdout.split('\n')
      expect(lines.filter((line) => /PASS|FAIL|ERROR/.test(line)).map((line) => line.split(/ +/)[3])).toEqual(
        Array(5).fill('PASS'),
      )
      expect(lines[1]).toMatch(/^ +1\.\d s {2}link vm-002 net 1 down$/)
      expect(lines.at(-1)).toBe('all 9 steps done, every check passed')
    },
    SLOW,
  )

  test(
    'a timeline whose check fails says FAIL with how the command ended, runs on to its end, and exits 1',
    async () => {
      const timeline = [
        { at: '0s', link: [2, 1], state: 'down' },
        { at: '500ms', rsh: [1, 'ping -c1 -W1 192.168.1.2'] },
        { at: '1s', link: [2, 1], state: 'up' },
        // What the guest says reaches the operator's terminal without its escape sequences.
        { at: '1s', rsh: [1, "printf '\\033[2J\\033]0;owned\\007gone' >&2; exit 3"], expect: 'fail' },
      ]
      await writeFile(join(dir, 'broken.json'), JSON.stringify(timeline))
      const run = await xc('faults', 'run', 'broken.json')
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toMatch(/^ +\d+\.\d s {2}FAIL {2}rsh vm-001 ping -c1 -W1 192\.168\.1\.2 \(exit 1/m)
      expect(run.stdout).toMatch(/^ +\d+\.\d s {2}link vm-002 net 1 up$/m)
      expect(run.stdout).toContain('(exit 3: ?[2J?]0;owned?gone)')
      expect(run.stdout).not.toMatch(/\p{Cc}(?<!\n)/u)
      expect(run.stdout.trim().split('\n').at(-1)).toBe('1 failed')
      expect((await xc('status')).stdout).not.toContain('link down')
    },
    SLOW,
  )

  test(
    'a timeline whose action fails half-way stops there and puts back what it did, last first',
    async () => {
      const timeline = [
        { at: '0s', 'stop-vm': 2 },
        { at: '0s', link: [1, 1], state: 'down' },
        { at: '0s', netem: [1, 1], delay: '300ms' },
        // vm-001 has no NIC on net 7: this action fails.
        { at: '500ms', link: [1, 7], state: 'down' },
        { at: '1s', rsh: [1, 'true'] },
      ]
      await writeFile(join(dir, 'half.json'), JSON.stringify(timeline))
      const run = await xc('faults', 'run', 'half.json')
      expect(run.exitCode).toBe(1)
      const lines = run.stdout.trim().split('\n')
      expect(lines.slice(3)).toEqual([
        expect.stringMatching(/ERROR link vm-001 net 7 down: vm-001 has no NIC on net 7/),
        'the timeline stops here; what it changed is put back:',
        '  undo  netem vm-001 net 1 clear',
        '  undo  link vm-001 net 1 up',
        '  undo  cont-vm vm-002',
        '1 failed',
      ])
      expect(run.stdout).not.toContain('rsh vm-001 true')
      const status = (await xc('status')).stdout
      expect([status.includes('link down'), status.includes('paused')]).toEqual([false, false])
      expect((await xc('netem', '--show')).stdout).toBe('no NIC of a running VM is shaped')
      expect((await rsh(1, 'ping -c1 -W5 192.168.1.2 || ping -c3 -W3 192.168.1.2')).exitCode).toBe(0)
    },
    SLOW,
  )

  test("without a FILE, the config's faults run; with neither, the command says what to write", async () => {
    const config = { nodes: 2, routers: 0, testers: 0, faults: [{ at: '0s', rsh: [2, 'test $(hostname) = vm-002'] }] }
    await writeFile(join(dir, 'with-faults.json'), JSON.stringify(config))
    const run = await xc('faults', 'run', '--config=with-faults.json')
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringMatching(/PASS {2}rsh vm-002 test/)])
    const none = await xc('faults', 'run')
    expect([none.exitCode, none.stderr]).toEqual([1, expect.stringContaining('name a FILE, or write `faults: [...]`')])
  })

  test('a net the VM has no NIC on, or a state that is not down or up, is refused naming it', async () => {
    const noNic = await xc('link', '2', '7', 'down')
    expect([noNic.exitCode, noNic.stderr]).toEqual([
      1,
      expect.stringContaining('vm-002 has no NIC on net 7: its nets are 0,1'),
    ])
    const sideways = await xc('link', '2', '1', 'sideways')
    expect([sideways.exitCode, sideways.stderr]).toEqual([1, expect.stringContaining('link needs ID NET down|up')])
  })
})
