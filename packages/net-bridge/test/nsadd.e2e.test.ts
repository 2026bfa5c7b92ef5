import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync, statSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { hostState } from '@xcluster/test-support/host-state'
import { TestNetns, XCLUSTER_BIN, removeTestFiles, xclusterInClusterNetns } from '@xcluster/test-support/netns'

// A user name of this test's own, so its cluster netns names never meet anyone else's.
const user = `xn${process.pid}`
let host: TestNetns
const xc = (...args: string[]) => host.hostXcluster(args, { cwd: '/' })
const inside = (idx: number, ...args: string[]) =>
  execa('ip', ['-n', `${user}_xcluster${idx}`, ...args], { reject: false })

beforeAll(async () => {
  host = await TestNetns.create('nsadd', { USER: user })
})

// Each test makes the cluster netns it needs and leaves none, so they pass in any order.
afterEach(async () => {
  for (const idx of [1, 2, 3]) await xc('nsdel', String(idx))
})

afterAll(async () => {
  await execa('ip', ['netns', 'del', host.name])
  await removeTestFiles(`/tmp/xcluster-${user}`)
})

const added = async (idx: number) => expect((await xc('nsadd', String(idx))).exitCode).toBe(0)

describe('nsadd makes the cluster netns of the reference', () => {
  test('with the default base: veth 172.30.0.3 outside, 172.30.0.2 inside, routes, NAT and bridges', async () => {
    const add = await xc('nsadd', '1')
    expect(add.stderr).toContain(`netns ${user}_xcluster1 ready`)
    expect(add.exitCode).toBe(0)
    const outside = (await host.exec('ip', ['addr', 'show', 'xcluster1'])).stdout
    expect(outside).toContain('inet 172.30.0.3/32')
    expect(outside).toContain('inet6 fd00:1723::ac1e:3/128')
    expect((await host.exec('ip', ['route', 'show', '172.30.0.2'])).stdout).toContain('172.30.0.2 dev xcluster1')
    expect((await inside(1, 'addr', 'show', 'host1')).stdout).toContain('inet 172.30.0.2/32')
    expect((await inside(1, 'route', 'show', 'default')).stdout).toContain('default via 172.30.0.3 dev host1')
    expect((await inside(1, '-6', 'route', 'show', 'default')).stdout).toContain(
      'default via fd00:1723::ac1e:3 dev host1',
    )
    for (const net of [0, 1, 2]) {
      const bridge = (await inside(1, '-d', 'addr', 'show', `xcbr${net}`)).stdout
      expect(bridge).toContain(`inet 192.168.${net}.250/24`)
      expect(bridge).toContain('group_fwd_mask 0x4000')
    }
    const natInside = (await execa('ip', ['netns', 'exec', `${user}_xcluster1`, 'iptables', '-t', 'nat', '-S'])).stdout
    expect(natInside).toContain('-A POSTROUTING -s 192.168.0.0/24 -o host1 -j MASQUERADE')
    const { rules } = await hostState(host, user)
    expect(rules).toEqual(
      expect.arrayContaining([
        '-A POSTROUTING -s 172.30.0.0/24 -j MASQUERADE',
        '-A FORWARD -s 172.30.0.0/24 -j ACCEPT',
        '-A FORWARD -d 172.30.0.0/24 -j ACCEPT',
      ]),
    )
    expect((await host.exec('ping', ['-c1', '-W2', '172.30.0.2'])).exitCode).toBe(0)
  })

  test('with the old syntax 172.31: 172.31.1.2 outside, 172.31.0.2 inside, masquerade 172.31.0.0/22', async () => {
    expect((await xc('nsadd', '--ipv4-base=172.31', '2')).exitCode).toBe(0)
    expect((await host.exec('ip', ['addr', 'show', 'xcluster2'])).stdout).toContain('inet 172.31.1.2/32')
    expect((await inside(2, 'addr', 'show', 'host2')).stdout).toContain('inet 172.31.0.2/32')
    expect((await hostState(host, user)).rules).toContain('-A POSTROUTING -s 172.31.0.0/22 -j MASQUERADE')
    expect((await xc('nsdel', '2')).exitCode).toBe(0)
  })

  test('a bad base, an index outside the base, or an existing netns fails with nothing made', async () => {
    await added(1)
    const before = await hostState(host, user)
    const bad = await xc('nsadd', '--ipv4-base=172.30.0.0', '3')
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toContain('--ipv4-base=172.30.0.0: must be A.B.C.D/L')
    const far = await xc('nsadd', '128')
    expect(far.stderr).toContain('netns index 128: its addresses 172.30.1.0 and 172.30.1.1 are outside')
    const again = await xc('nsadd', '1')
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toContain(`netns ${user}_xcluster1 exists already`)
    expect(await hostState(host, user)).toEqual(before)
  })

  test('br-setup makes a bridge with its addresses in the namespace it runs in and keeps an existing one', async () => {
    await added(1)
    const inCluster = xclusterInClusterNetns(user, () => '/')
    const made = await inCluster('br-setup', '7', '--mtu=9000')
    expect(made.stderr).toContain('created bridge xcbr7')
    const bridge = (await inside(1, '-d', 'addr', 'show', 'xcbr7')).stdout
    expect(bridge).toContain('mtu 9000')
    expect(bridge).toContain('inet 192.168.7.250/24')
    expect(bridge).toContain('inet6 1000::1:c0a8:7fa/120')
    expect(bridge).toContain('group_fwd_mask 0x4000')
    expect((await inCluster('br-setup', '7')).stderr).toContain('kept the existing bridge xcbr7')
  })

  test('nsenter runs a shell inside the cluster netns', async () => {
    await added(1)
    const shell = await host.enter(XCLUSTER_BIN, ['nsenter', '1'], {
      input: 'ip -o link show xcbr0 >/dev/null && exit 7\n',
      env: { SHELL: '/bin/sh' },
    })
    expect(shell.exitCode).toBe(7)
  })

  test('a rule two clusters share stays until the last of them is removed', async () => {
    await added(1)
    await added(3)
    expect((await xc('nsdel', '1')).exitCode).toBe(0)
    expect((await hostState(host, user)).rules).toContain('-A POSTROUTING -s 172.30.0.0/24 -j MASQUERADE')
    expect((await xc('nsdel', '3')).exitCode).toBe(0)
    expect((await hostState(host, user)).rules).toEqual([])
  })

  test('a record left by a cluster netns that is gone keeps no rule, and is removed', async () => {
    const recordDir = `/run/xcluster/netns/host-${statSync(`/run/netns/${host.name}`).ino}`
    const gone = `${user}_xcluster9`
    const rules = [{ family: 4, table: 'nat', chain: 'POSTROUTING', spec: ['-s', '172.30.0.0/24', '-j', 'MASQUERADE'] }]
    await mkdir(recordDir, { recursive: true })
    await writeFile(
      join(recordDir, `${gone}.json`),
      JSON.stringify({ netns: gone, outside: 'xcluster9', rules: rules.map((rule) => ({ rule, added: true })) }),
    )
    expect((await xc('nsadd', '1')).exitCode).toBe(0)
    expect((await xc('nsdel', '1')).exitCode).toBe(0)
    expect(await hostState(host, user)).toEqual({ netns: [], links: ['lo'], rules: [], records: [] })
    expect(existsSync(recordDir)).toBe(false)
  })

  test('nsdel stops a cluster that still runs in the netns before removing it: no VM outlives it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xcluster-nsdel-'))
    try {
      await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, mem: 64 }))
      await added(1)
      const inCluster = xclusterInClusterNetns(user, () => dir)
      expect((await inCluster('start')).exitCode).toBe(0)
      const stateDir = `/tmp/xcluster-${user}/${user}_xcluster1`
      expect(await qemuPidsOf(stateDir)).toHaveLength(1)
      const del = await xc('nsdel', '1')
      expect([del.exitCode, del.stderr]).toEqual([0, `xcluster: netns ${user}_xcluster1 removed`])
      expect(await qemuPidsOf(stateDir)).toEqual([])
    } finally {
      await removeTestFiles(dir)
    }
  }, 240_000)

  // The soak (`pnpm soak`, bench/soak.ts) runs 50 rounds.
  test('nsdel leaves nothing; 3 rounds of nsadd and nsdel leak nothing', async () => {
    const before = await hostState(host, user)
    expect(before).toEqual({ netns: [], links: ['lo'], rules: [], records: [] })
    for (let round = 0; round < 3; round++) {
      expect((await xc('nsadd', '1')).exitCode).toBe(0)
      expect((await xc('nsdel', '1')).exitCode).toBe(0)
    }
    expect(await hostState(host, user)).toEqual(before)
  }, 120_000)

  test('an nsadd killed right after it added an outer rule leaves nothing that nsdel does not take back', async () => {
    const before = await hostState(host, user)
    // The real iptables, behind a shim that kills xcluster (its parent) once the first FORWARD rule is in.
    const shim = await mkdtemp(join(tmpdir(), 'xcluster-shim-'))
    try {
      await writeFile(
        join(shim, 'iptables'),
        `#!/bin/sh\n${(await execa('which', ['iptables'])).stdout} "$@"; rc=$?\ncase " $* " in *" -A FORWARD "*) kill` +
          ` -9 $PPID;; esac\nexit $rc\n`,
        { mode: 0o755 },
      )
      const killed = await host.hostXcluster(['nsadd', '1'], { env: { PATH: `${shim}:${process.env.PATH}` } })
      expect(killed.signal ?? killed.exitCode).toBe('SIGKILL')
      expect((await hostState(host, user)).rules).not.toEqual(before.rules)
      await xc('nsdel', '1')
      expect(await hostState(host, user)).toEqual(before)
    } finally {
      await removeTestFiles(shim)
    }
  }, 60_000)
})
