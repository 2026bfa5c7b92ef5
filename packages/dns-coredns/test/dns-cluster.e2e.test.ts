import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { queryIn, startUpstream } from '@xcluster/test-support/dns-upstream'
import { TestNetns, ensureTestImage, removeTestFiles, xclusterInClusterNetns } from '@xcluster/test-support/netns'
import { OtherUser } from '@xcluster/test-support/other-user'
import { processExists } from '@xcluster/core'
import { type Run, keepRunning } from '@xcluster/test-support/running-cluster'

const BOOT = 240_000

async function clusterDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-dnsvm-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0 }))
  return dir
}

function resolvesThroughTheLocalResolver(xc: () => Run) {
  test("the VM's resolv.conf names its own address with TCP forced", async () => {
    expect((await xc()('rsh', '1', 'cat /etc/resolv.conf')).stdout).toBe('nameserver 192.168.0.1\noptions use-vc')
  })
  test('a name of the test zone resolves through the local resolver', async () => {
    const lookup = await xc()('rsh', '1', 'nslookup www.test.zone')
    expect(lookup.stdout).toContain('Address: 10.9.8.7')
    expect(lookup.exitCode).toBe(0)
  })
  test('vm-002 and vm-002.xcluster resolve through the local resolver', async () => {
    expect((await xc()('rsh', '1', 'nslookup vm-002')).stdout).toContain('Address: 192.168.1.2')
    expect((await xc()('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
  })
}

describe('DNS in a user-space cluster', () => {
  let ns: TestNetns
  let dir: string
  let upstream: Awaited<ReturnType<typeof startUpstream>>
  let firstStart: Awaited<ReturnType<Run>>
  const xc: Run = (...args) => ns.xcluster(args, { cwd: dir })
  beforeAll(async () => {
    await ensureTestImage()
    dir = await clusterDir()
    ns = await TestNetns.create('dns-us', { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' })
    upstream = await startUpstream(ns, dir)
    firstStart = await xc('start')
  }, BOOT)
  afterAll(async () => {
    await ns?.xcluster(['stop'], { cwd: dir })
    await upstream?.stop()
    await ns?.remove(dir)
  }, BOOT)
  beforeEach(() => keepRunning(xc, [1, 2]), BOOT)

  test('the doctor says at once that no cluster runs, and nothing else', async () => {
    const empty = await TestNetns.create('dns-none')
    const emptyDir = await clusterDir()
    try {
      const doctor = await empty.xcluster(['doctor', 'dns', '--json', '--name=www.test.zone'], { cwd: emptyDir })
      expect(doctor.exitCode).toBe(1)
      expect(JSON.parse(doctor.stdout)).toEqual([
        expect.objectContaining({
          name: 'a VM of the cluster runs',
          passed: false,
          fix: expect.stringContaining('start'),
        }),
      ])
    } finally {
      await empty.remove(emptyDir)
    }
  })

  test("an upstream that cannot answer fails the forwarding steps only, named; the cluster's paths pass", async () => {
    const doctor = await xc('doctor', 'dns', '--name=nothing.invalid')
    expect(doctor.exitCode).toBe(1)
    const results = doctor.stdout.split('\n').filter((line) => /^(PASS|FAIL) /.test(line))
    expect(results.filter((line) => line.startsWith('FAIL'))).toEqual([
      expect.stringContaining('FAIL  the service forwards nothing.invalid to its upstream servers (127.0.0.1:5353)'),
      expect.stringContaining('FAIL  vm-001 resolves nothing.invalid, forwarded to the upstreams (127.0.0.1:5353)'),
    ])
    expect(results).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PASS  vm-001 queries 192.168.0.250:10053 directly for vm-002.xcluster'),
        expect.stringContaining('PASS  vm-001 resolves vm-002.xcluster through its local resolver'),
      ]),
    )
  })

  test('start runs the embedded server, shown in status', () => {
    expect(firstStart.stderr).toContain('DNS: embedded server on port 10053')
    expect(firstStart.stdout).toMatch(/dns: embedded server \(pid \d+\) on 127\.0\.0\.1, ::1 port 10053/)
  })

  resolvesThroughTheLocalResolver(() => xc)

  test('the doctor passes every step when things are right', async () => {
    const doctor = await xc('doctor', 'dns', '--name=www.test.zone')
    expect(doctor.stdout).not.toContain('FAIL')
    expect(doctor.stdout).toContain('PASS  vm-001 resolves vm-002.xcluster through its local resolver')
    expect(doctor.exitCode).toBe(0)
  })

  test('dns.json is not trusted: another pid in it is never signalled, a truncated one breaks nothing', async () => {
    const stateDir = `/tmp/xcluster-root/${ns.name}`
    const bystander = spawn('sleep', ['600'])
    try {
      await writeFile(
        join(stateDir, 'dns.json'),
        JSON.stringify({ kind: 'embedded', pid: bystander.pid, port: 10053, bind: ['127.0.0.1'] }),
      )
      const status = await xc('status')
      expect(status.stdout).toMatch(/dns: embedded server \(pid \d+\)/)
      expect(status.stdout).not.toContain(`pid ${bystander.pid})`)
      await writeFile(join(stateDir, 'dns.json'), '{"kind":"emb')
      expect((await xc('status')).exitCode).toBe(0)
      expect((await xc('doctor', 'dns', '--name=www.test.zone')).exitCode).toBe(0)
      expect(bystander.exitCode).toBeNull()
    } finally {
      bystander.kill()
    }
  })

  test(
    'a VM added by scaleout is named on the host service and from the other VMs; scalein takes the name back',
    async () => {
      let scalein: Awaited<ReturnType<Run>> | undefined
      try {
        const scaleout = await xc('scaleout', '3')
        expect([scaleout.exitCode, scaleout.stderr]).toEqual([0, expect.stringContaining('up: vm-003')])
        const onHost = await queryIn(ns, { server: '127.0.0.1', port: 10053, name: 'vm-003.xcluster' })
        expect(onHost.answers).toContain('192.168.1.3')
        const fromVm = await xc('rsh', '1', 'nslookup vm-003.xcluster')
        expect(fromVm.stdout).toContain('Address: 192.168.1.3')
        // vm-001's /etc/hosts was written before vm-003 existed: its short name comes from the service.
        expect((await xc('rsh', '1', 'ping -c1 -W5 vm-003')).exitCode).toBe(0)
        expect((await xc('status', '--json')).stdout).toContain('"hostname": "vm-003"')
      } finally {
        // Taken away whatever happened; a failure above is what the test reports.
        scalein = await xc('scalein', '3')
      }
      expect([scalein.exitCode, scalein.stderr]).toEqual([0, expect.any(String)])
      await xc('start', '--no-restart')
      expect((await queryIn(ns, { server: '127.0.0.1', port: 10053, name: 'vm-003.xcluster' })).rcode).toBe('NXDOMAIN')
    },
    BOOT,
  )

  test('a DNS service that died is restarted by the next start', async () => {
    const pid = Number(/dns: embedded server \(pid (\d+)\)/.exec((await xc('status')).stdout)![1])
    process.kill(pid, 'SIGKILL')
    let start: Awaited<ReturnType<Run>>
    try {
      await new Promise((r) => setTimeout(r, 300))
      const status = await xc('status')
      expect([status.exitCode, status.stdout, status.stderr]).toEqual([
        1,
        expect.stringContaining('dns: not running'),
        expect.stringContaining('`xcluster start --no-restart` starts it again'),
      ])
    } finally {
      start = await xc('start', '--no-restart')
    }
    expect(start.stderr).toContain('DNS: embedded server on port 10053')
    expect(start.stdout).toMatch(/dns: embedded server \(pid \d+\)/)
    expect((await queryIn(ns, { server: '127.0.0.1', port: 10053, name: 'vm-001.xcluster' })).rcode).toBe('NOERROR')
  })

  test(
    "another user's process naming the service's files is not taken for it: not shown, not kept, not signalled",
    async () => {
      const stateDir = `/tmp/xcluster-root/${ns.name}`
      const pid = Number(/dns: embedded server \(pid (\d+)\)/.exec((await xc('status')).stdout)![1])
      await OtherUser.during('dns', async (other) => {
        const impostor = other.spawn('node', [
          '-e',
          'setTimeout(() => {}, 600000)',
          join(stateDir, 'dns-server.json'),
          join(stateDir, 'Corefile'),
        ])
        process.kill(pid, 'SIGKILL')
        await new Promise((r) => setTimeout(r, 500))
        expect((await xc('status')).stdout).toContain('dns: not running')
        const start = await xc('start', '--no-restart')
        expect(start.stderr).toContain('DNS: embedded server on port 10053')
        expect(start.stdout).not.toContain(`(pid ${impostor.pid})`)
        expect((await xc('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
        // root's stop ends the cluster's own service, never the other user's process.
        expect((await xc('stop')).exitCode).toBe(0)
        expect(impostor.exitCode).toBeNull()
        expect(processExists(impostor.pid!)).toBe(true)
      })
    },
    BOOT,
  )

  test('the service lives on after a guest looks up a name the upstream cannot answer, or constructor', async () => {
    for (const name of ['www.debian.org', 'constructor', '__proto__']) await xc('rsh', '1', `nslookup ${name}`)
    expect((await xc('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
    expect((await xc('status')).exitCode).toBe(0)
  })

  test(
    'a DNS port already taken fails the start, naming the port and the process',
    async () => {
      const other = join(dir, 'other')
      await mkdir(other)
      await writeFile(
        join(other, 'xcluster.config.json'),
        JSON.stringify({ nodes: 1, routers: 0, stateDir: join(dir, 'other-state') }),
      )
      try {
        const start = await ns.xcluster(['start'], { cwd: other })
        expect(start.exitCode).toBe(1)
        expect(start.stderr).toMatch(/DNS port 10053 is taken by node \(pid \d+\)/)
      } finally {
        // Should the start succeed after all, its VM must not outlive the test.
        await ns.xcluster(['stop'], { cwd: other })
      }
    },
    BOOT,
  )
})

describe('DNS in a cluster on bridges', () => {
  const user = `xd${process.pid}`
  const clusterNs = `${user}_xcluster1`
  let host: TestNetns
  let dir: string
  let upstream: Awaited<ReturnType<typeof startUpstream>>
  const xc: Run = xclusterInClusterNetns(user, () => dir, { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' })
  beforeAll(async () => {
    await ensureTestImage()
    dir = await clusterDir()
    host = await TestNetns.create('dns-br', { USER: user })
    expect((await host.hostXcluster(['nsadd', '1'], { cwd: dir })).exitCode).toBe(0)
    // The upstream runs inside the cluster netns, on its loopback.
    upstream = await startUpstream(
      {
        exec: (file: string, args: string[]) =>
          execa('ip', ['netns', 'exec', clusterNs, file, ...args], { reject: false }),
      } as TestNetns,
      dir,
    )
    expect((await xc('start')).exitCode).toBe(0)
  }, BOOT)
  afterAll(async () => {
    await rm(`/etc/netns/${clusterNs}`, { recursive: true, force: true })
    await upstream?.stop()
    await host?.hostXcluster(['nsdel', '1'], { cwd: dir })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }, BOOT)
  beforeEach(() => keepRunning(xc, [1, 2]), BOOT)

  resolvesThroughTheLocalResolver(() => xc)

  test('the doctor checks the netns NAT and passes', async () => {
    const doctor = await xc('doctor', 'dns', '--name=www.test.zone')
    expect(doctor.stdout).toContain('PASS  the netns masquerades the maintenance net out of host1')
    expect(doctor.exitCode).toBe(0)
  })

  test('the doctor reports a loopback stub in resolv.conf inside the netns, with the fix', async () => {
    await mkdir(`/etc/netns/${clusterNs}`, { recursive: true })
    try {
      await writeFile(`/etc/netns/${clusterNs}/resolv.conf`, 'nameserver 127.0.0.53\n')
      const doctor = await xc('doctor', 'dns', '--name=www.test.zone')
      expect(doctor.exitCode).toBe(1)
      expect(doctor.stdout).toContain(
        `FAIL  /etc/resolv.conf names no loopback resolver (inside netns ${clusterNs}): nameserver 127.0.0.53`,
      )
      expect(doctor.stdout).toContain(
        `fix: point /etc/resolv.conf (or /etc/netns/${clusterNs}/resolv.conf) at a real nameserver`,
      )
    } finally {
      await rm(`/etc/netns/${clusterNs}`, { recursive: true, force: true })
    }
  })
})
