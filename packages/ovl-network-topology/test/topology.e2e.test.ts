import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestNetns, ensureTestImage, removeTestFiles, xclusterInClusterNetns } from '@xcluster/test-support/netns'

const BOOT = 300_000
type Run = (...args: string[]) => Promise<{ exitCode?: number; stdout: string; stderr: string }>

async function clusterDir(config: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-topo-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  return dir
}

/** `from` pings `address` over IPv4, and over IPv6 at the prefix's twin of it. */
async function pings(xc: Run, from: number, address: string): Promise<[number | undefined, number | undefined]> {
  const v4 = await xc('rsh', String(from), `ping -c1 -W5 ${address}`)
  const v6 = await xc('rsh', String(from), `ping -c1 -W5 1000::1:${address}`)
  return [v4.exitCode, v6.exitCode]
}

function xnetThroughRouters(xc: () => Run) {
  test('vm-001 reaches the tester on 192.168.2.221 through the routers, IPv4 and IPv6', async () => {
    expect(await pings(xc(), 1, '192.168.2.221')).toEqual([0, 0])
  })
  test('the tester reaches vm-001 on 192.168.1.1, IPv4 and IPv6', async () => {
    expect(await pings(xc(), 221, '192.168.1.1')).toEqual([0, 0])
  })
  test('/etc/hosts names every node on its cluster-net address', async () => {
    const hosts = (await xc()('rsh', '1', 'cat /etc/hosts')).stdout
    expect(hosts).toContain('192.168.1.2 vm-002')
    expect(hosts).toContain('192.168.1.201 vm-201')
    expect(hosts).toContain('192.168.2.221 vm-221')
  })
}

describe('xnet on user-space networking', () => {
  let ns: TestNetns
  let dir: string
  const xc: Run = (...args) => ns.xcluster(args, { cwd: dir })
  beforeAll(async () => {
    await ensureTestImage()
    ns = await TestNetns.create('xnet-us')
    dir = await clusterDir({ nodes: 2, routers: 2, testers: 1 })
    const start = await ns.xcluster(['start', '--topology=xnet'], { cwd: dir })
    expect(start.stderr).toContain('up: vm-221')
  }, BOOT)
  afterAll(async () => ns?.remove(dir), BOOT)
  xnetThroughRouters(() => xc)
})

describe('xnet on bridges in the cluster netns', () => {
  const user = `xx${process.pid}`
  let host: TestNetns
  let dir: string
  const xc: Run = xclusterInClusterNetns(user, () => dir)
  beforeAll(async () => {
    await ensureTestImage()
    host = await TestNetns.create('xnet-br', { USER: user })
    dir = await clusterDir({ nodes: 2, routers: 2, testers: 1 })
    expect((await host.hostXcluster(['nsadd', '1'], { cwd: dir })).exitCode).toBe(0)
    expect((await xc('start')).stderr).toContain('up: vm-221')
  }, BOOT)
  afterAll(async () => {
    await host?.hostXcluster(['nsdel', '1'], { cwd: dir })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }, BOOT)
  xnetThroughRouters(() => xc)
})

describe('dual-path on user-space networking', () => {
  let ns: TestNetns
  let dir: string
  const xc: Run = (...args) => ns.xcluster(args, { cwd: dir })
  beforeAll(async () => {
    await ensureTestImage()
    ns = await TestNetns.create('dual')
    dir = await clusterDir({ nodes: 1 })
    const start = await ns.xcluster(['start', '--topology=dual-path'], { cwd: dir })
    expect(start.stderr).toContain('up: vm-222')
  }, BOOT)
  afterAll(async () => ns?.remove(dir), BOOT)

  test('path A: vm-001 reaches the testers on net 2 through 201 and 203', async () => {
    expect(await pings(xc, 1, '192.168.2.221')).toEqual([0, 0])
    expect((await xc('rsh', '1', 'traceroute -n -w2 -q1 192.168.2.221')).stdout).toMatch(
      /192\.168\.1\.201[\s\S]*192\.168\.3\.203/,
    )
  })
  test('path B: vm-001 reaches the testers on net 6 through 202 and 204', async () => {
    expect(await pings(xc, 1, '192.168.6.221')).toEqual([0, 0])
    expect(await pings(xc, 1, '192.168.6.222')).toEqual([0, 0])
    expect((await xc('rsh', '1', 'traceroute -n -w2 -q1 192.168.6.221')).stdout).toMatch(
      /192\.168\.4\.202[\s\S]*192\.168\.5\.204/,
    )
  })
  test('the testers reach vm-001 on net 4 over path B', async () => {
    expect(await pings(xc, 221, '192.168.4.1')).toEqual([0, 0])
    expect(await pings(xc, 222, '192.168.4.1')).toEqual([0, 0])
  })
})
