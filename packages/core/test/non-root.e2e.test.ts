import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { TestNetns, XCLUSTER_BIN } from '@xcluster/test-support/netns'
import { OtherUser } from '@xcluster/test-support/other-user'
import { UserProject } from '@xcluster/test-support/user-project'

// A user who is not root, as Debian makes one (their PATH has no /usr/sbin), with xcluster installed in a project of
// their own from the packed tarballs: builds the image in their own workspace, runs a user-space cluster (in a test
// netns with only lo), and a bridge cluster after root's `nsadd 5 --user=NAME` (in a stand-in host netns).
const SLOW = 600_000
const IDX = '5'
const { XCLUSTER } = UserProject

let owner: OtherUser
let other: OtherUser
let host: TestNetns
let bare: TestNetns
let project: UserProject
const netns = () => `${owner.name}_xcluster${IDX}`
/** The user's own xcluster in their netns IDX, entered as they do: `xcluster nsenter IDX xcluster ...`. */
const inNetns = (...args: string[]) => project.xcluster('nsenter', IDX, XCLUSTER, ...args)
/** The user's xcluster in the namespace with only lo (entered by root, then run as the user). */
const inBare = (...args: string[]) => project.run(XCLUSTER, args, { netns: bare.name })
/** The second user runs an xcluster of root's from `/`: the first user's project is not theirs to load. */
const asOther = (file: string, args: string[], env: string[] = []) => project.run(file, args, { as: other, env })
const rootIn = (...args: string[]) => execa('ip', ['-n', netns(), ...args], { reject: false })
const taps = async () => (await rootIn('-o', 'link', 'show')).stdout.match(/xcbr\d+_t\d+/g) ?? []

beforeAll(async () => {
  owner = await OtherUser.create('ubr')
  other = await OtherUser.create('ubo')
  host = await TestNetns.create('userbr')
  bare = await TestNetns.create('nonroot')
  project = await UserProject.create(owner, ['@xcluster/cli', '@xcluster/core', '@xcluster/net-bridge'], {
    nodes: 1,
    routers: 0,
    testers: 0,
  })
  // With a PATH without /usr/sbin (depmod, mke2fs are there), in their own workspace.
  const image = await project.xcluster('image')
  expect([image.exitCode, image.stderr]).toEqual([0, expect.stringContaining('image: ready in')])
  const add = await host.hostXcluster(['nsadd', IDX, `--user=${owner.name}`], { cwd: '/' })
  expect([add.exitCode, add.stderr]).toEqual([0, expect.stringContaining(`netns ${netns()} ready`)])
}, SLOW)

afterAll(async () => {
  if (bare) await inBare('stop')
  await host?.hostXcluster(['nsdel', IDX, `--user=${owner?.name}`], { cwd: '/' })
  for (const ns of [host, bare]) if (ns) await execa('ip', ['netns', 'del', ns.name], { reject: false })
  await project?.remove()
  for (const user of [owner, other]) await user?.remove()
}, SLOW)

describe('a user who is not root, on user-space networking', () => {
  test(
    "the guest's files are root's in the image they built; rsh, DNS, rcp and stop work",
    async () => {
      const start = await inBare('start', '--nvm=2')
      expect([start.exitCode, start.stderr]).toEqual([
        0,
        expect.stringMatching(/up: vm-001[\s\S]*up: vm-002|up: vm-002[\s\S]*up: vm-001/),
      ])
      const id = await inBare('rsh', '1', 'id -u; stat -c %u /root/.ssh/authorized_keys /bin/busybox')
      expect([id.exitCode, id.stdout.split('\n')]).toEqual([0, ['0', '0', '0']])
      expect((await inBare('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
      const copy = join(project.dir, 'hostname-2')
      expect((await inBare('rcp', '2', '/proc/sys/kernel/hostname', copy)).exitCode).toBe(0)
      expect(await readFile(copy, 'utf8')).toBe('vm-002\n')
      expect((await inBare('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(`/tmp/xcluster-${owner.name}/${bare.name}`)).toEqual([])
    },
    SLOW,
  )
})

describe('a user who is not root runs a bridge cluster in the netns root made for them', () => {
  test(
    'start, rsh, rcp, DNS, scaleout, link, netem and stop, all as the user: taps made and removed in their netns',
    async () => {
      const start = await inNetns('start')
      expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('up: vm-001')])
      expect(await taps()).toEqual(['xcbr0_t1', 'xcbr1_t1'])
      const out = await inNetns('scaleout', '2')
      expect([out.exitCode, out.stderr]).toEqual([0, expect.stringContaining('vm-002')])
      const ping = await inNetns('rsh', '1', 'ping -c1 -W2 192.168.1.2 >/dev/null && hostname')
      expect([ping.exitCode, ping.stdout]).toEqual([0, 'vm-001'])
      expect((await inNetns('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
      const copy = join(project.dir, 'hostname-2')
      expect((await inNetns('rcp', '2', '/proc/sys/kernel/hostname', copy)).exitCode).toBe(0)
      expect(await readFile(copy, 'utf8')).toBe('vm-002\n')
      expect((await inNetns('link', '2', '1', 'down')).exitCode).toBe(0)
      expect((await inNetns('rsh', '2', 'cat /sys/class/net/eth1/carrier')).stdout).toBe('0')
      expect((await inNetns('rsh', '1', 'ping -c1 -W1 192.168.1.2')).exitCode).not.toBe(0)
      expect((await inNetns('link', '2', '1', 'up')).exitCode).toBe(0)
      expect((await inNetns('rsh', '1', 'ping -c3 -W2 192.168.1.2 >/dev/null')).exitCode).toBe(0)
      // netem on the host side where the kernel has sch_netem, else (here) in the VM: either way the user's to set.
      const netem = await inNetns('netem', '1', '1', '--delay=50ms')
      const shown = await inNetns('netem', '--show')
      expect([netem.exitCode, shown.stdout]).toEqual([0, expect.stringMatching(/^vm-001 +net 1 +eth1 +delay 50ms/)])
      expect((await inNetns('stop')).exitCode).toBe(0)
      expect(await taps()).toEqual([])
    },
    SLOW,
  )

  test("a second user is refused the first user's netns, its taps and its bridges", async () => {
    const enter = await asOther(XCLUSTER_BIN, ['nsenter', IDX, 'id'], [`USER=${owner.name}`])
    expect([enter.exitCode, enter.stderr]).toEqual([1, expect.stringContaining('Operation not permitted')])
    const own = await asOther(XCLUSTER_BIN, ['nsenter', IDX])
    expect([own.exitCode, own.stderr]).toEqual([
      1,
      expect.stringContaining(`there is no netns ${other.name}_xcluster${IDX} made for you: root makes it, once,`),
    ])
    for (const argv of [
      ['nsenter', `--net=/run/netns/${netns()}`, 'id'],
      ['ip', '-n', netns(), 'link', 'del', 'xcbr0'],
      ['unshare', '--user', '--map-root-user', 'nsenter', `--net=/run/netns/${netns()}`, 'id'],
    ]) {
      const tried = await asOther(argv[0], argv.slice(1))
      expect([argv[0], tried.exitCode === 0, tried.stderr]).toEqual([
        argv[0],
        false,
        expect.stringMatching(/not permitted/i),
      ])
    }
    expect((await rootIn('link', 'show', 'xcbr0')).exitCode).toBe(0)
  })

  test("in a netns that is not theirs, the user's bridges and taps fail with the nsadd that root runs", async () => {
    const start = await project.run(XCLUSTER, ['start', '--plugins=@xcluster/net-bridge'], { netns: host.name })
    expect([start.exitCode, start.stderr]).toEqual([
      1,
      expect.stringContaining(
        `needs net_admin there, which ${owner.name} does not have; root makes a netns of ${owner.name}'s own, once,` +
          ` with \`xcluster nsadd IDX --user=${owner.name}\``,
      ),
    ])
    expect((await host.exec('ip', ['-o', 'link', 'show'])).stdout).not.toMatch(/xcbr\d/)
  })

  test(
    "nsadd under sudo is for the user who ran it; nsdel ends their cluster's processes there (by pid)",
    async () => {
      // As under sudo: the netns is for the user who ran it.
      const add = await host.hostXcluster(['nsadd', '7'], { cwd: '/', env: { SUDO_USER: owner.name } })
      expect([add.exitCode, add.stderr]).toEqual([0, expect.stringContaining(`netns ${owner.name}_xcluster7 ready`)])
      const stateDir = `/tmp/xcluster-${owner.name}/${owner.name}_xcluster7`
      try {
        const start = await project.xcluster('nsenter', '7', XCLUSTER, 'start')
        expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('up: vm-001')])
        expect(await qemuPidsOf(stateDir)).toHaveLength(1)
      } finally {
        const del = await host.hostXcluster(['nsdel', '7', `--user=${owner.name}`], { cwd: '/' })
        expect([del.exitCode, del.stderr]).toEqual([0, expect.stringMatching(/ended \d+ process\(es\) of .*removed/s)])
      }
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect(existsSync(`/run/netns/${owner.name}_xcluster7`)).toBe(false)
    },
    SLOW,
  )

  test('nsadd for an unknown user, a system user without subordinate ids, a bad name: refused, none made', async () => {
    const system = `xcsys${process.pid}`
    await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', system])
    try {
      for (const [name, message] of [
        [`nosuch${process.pid}`, 'there is no such user on this machine'],
        [system, `${system} has no subordinate ids in /etc/subuid`],
        ['a;b', 'must be a user name of letters, digits'],
      ]) {
        const add = await host.hostXcluster(['nsadd', '6', `--user=${name}`], { cwd: '/' })
        expect([name, add.exitCode, add.stderr]).toEqual([name, 1, expect.stringContaining(message)])
        expect(existsSync(`/run/netns/${name}_xcluster6`)).toBe(false)
      }
      expect((await host.exec('ip', ['link', 'show', 'xcluster6'])).exitCode).not.toBe(0)
    } finally {
      await execa('userdel', ['--force', system], { reject: false })
    }
  })
})
