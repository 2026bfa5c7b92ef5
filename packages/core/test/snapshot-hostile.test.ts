import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'

// A snapshot is restored as whoever runs xcluster, root too: nothing in it may become a command, a path or a qemu word.

let top: string
let workspace: string
let stateDir: string
let snapshot: string
/** What a snapshot must have been taken of to be restored here, as the refusal of another one tells it. */
let identity: { kernel: string; initrd: string; image: string; plugins: string[] }

const node = (id = 1) => ({
  id,
  role: 'vm',
  hostname: `vm-00${id}`,
  nics: [
    { index: 0, ifname: 'eth0', net: 0, mac: `00:00:00:01:00:0${id}`, ipv4: `192.168.0.${id}`, ipv6: '1000::1:c0a8:1' },
  ],
  mem: 128,
  smp: 1,
  append: [],
})
const manifest = (nodes: unknown[] = [node()]) => ({
  name: 's1',
  created: '2026-12-07T01:00:00.000Z',
  nodes,
  ...identity,
})

async function writeSnapshot(content: object): Promise<void> {
  await rm(snapshot, { recursive: true, force: true })
  await mkdir(snapshot, { recursive: true, mode: 0o700 })
  await writeFile(join(snapshot, 'snapshot.json'), JSON.stringify(content), { mode: 0o600 })
}

const restore = () =>
  runCli(['snapshot', 'restore', 's1'], top, { XCLUSTER_WORKSPACE: workspace, XCLUSTER_TMP: stateDir })

/** The restore is refused with `words`, and nothing was made: no state directory, so no VM, net or file. */
async function refused(words: string): Promise<void> {
  const result = await restore()
  expect([result.status, result.stderr]).toEqual([1, expect.stringContaining(words)])
  expect(existsSync(stateDir)).toBe(false)
}

beforeAll(async () => {
  top = await tempDir('snapshot-hostile')
  workspace = join(top, 'workspace')
  stateDir = join(top, 'state')
  snapshot = join(workspace, 'snapshots', 's1')
  await mkdir(join(workspace, 'snapshots'), { recursive: true, mode: 0o700 })
  await writeSnapshot({
    name: 's1',
    created: '2026-12-07T01:00:00.000Z',
    nodes: [node()],
    plugins: [],
    kernel: '/k',
    initrd: '/i',
    image: '/h',
  })
  const { stderr } = await restore()
  const now = (key: string) => new RegExp(`${key}: the snapshot has \\S+, now (\\S+)`).exec(stderr)?.[1]
  identity = {
    kernel: now('kernel')!,
    initrd: now('initrd')!,
    image: now('image')!,
    plugins: now('plugins')!.split(','),
  }
  expect(Object.values(identity).every(Boolean)).toBe(true)
})

afterAll(removeTempDirs)

describe('a snapshot is restored only when everything in it is what a save writes', () => {
  test('a node id that is shell code, or a path up, is refused naming the field; nothing runs', async () => {
    await writeSnapshot(manifest([{ ...node(), id: '1;cd;id>MARK;#' }]))
    await refused('nodes.0.id: Invalid input: expected number, received string')
    expect(existsSync(join(top, 'MARK'))).toBe(false)
    await writeSnapshot(manifest([{ ...node(), id: 999 }]))
    await refused('nodes.0.id: Too big')
    await writeSnapshot(manifest([{ ...node(), hostname: '../../etc' }]))
    await refused('nodes.0.hostname')
  })

  test('a MAC that carries a qemu option, or one that is not its id and net, is refused', async () => {
    const nic = node().nics[0]
    await writeSnapshot(manifest([{ ...node(), nics: [{ ...nic, mac: `${nic.mac},romfile=/etc/shadow` }] }]))
    await refused('nodes.0.nics.0.mac')
    await writeSnapshot(manifest([{ ...node(), nics: [{ ...nic, mac: '00:00:00:01:00:09' }] }]))
    await refused('nodes.0.nics.0.mac: must be 00:00:00:01:00:01')
  })

  test('unknown or prototype keys, a kernel argument with a space or a newline, are refused', async () => {
    await writeSnapshot({ ...manifest(), extra: 1 })
    await refused('Unrecognized key: "extra"')
    await writeSnapshot(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(manifest()).slice(1)}`))
    await refused('Unrecognized key: "__proto__"')
    await writeSnapshot(manifest([{ ...node(), append: ['a=1\ninit=/bin/sh'] }]))
    await refused('nodes.0.append.0')
  })

  test('a cdrom.iso that is a link to a root-only file is refused, not given to the guest', async () => {
    await writeSnapshot(manifest())
    await symlink('/etc/shadow', join(snapshot, 'cdrom.iso'))
    await refused(`${snapshot}/cdrom.iso is a symbolic link`)
  })

  test("a disk backed by a file that is not the cluster's image is refused naming both", async () => {
    await writeSnapshot(manifest())
    const disk = join(snapshot, 'vm-001.qcow2')
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', '/etc/shadow', '-F', 'raw', disk, '1M'])
    await chmod(disk, 0o600)
    await refused(`the disk ${disk} is backed by /etc/shadow, not the cluster's image ${identity.image}`)
  })

  test('a snapshot another user wrote (their file in it) is refused naming them, before it is read', async () => {
    const other = await OtherUser.create('snap')
    try {
      await writeSnapshot(manifest())
      await chmod(top, 0o755)
      await chmod(snapshot, 0o777)
      await chmod(join(workspace, 'snapshots'), 0o755)
      await chmod(workspace, 0o755)
      const planted = join(snapshot, 'vm-001.mem')
      expect((await other.run('sh', ['-c', 'echo x > "$1"', 'sh', planted])).exitCode).toBe(0)
      await chmod(snapshot, 0o700)
      await refused(`${planted} is owned by uid ${other.uid}`)
    } finally {
      await other.remove()
      await chmod(top, 0o700)
    }
  })

  test('a snapshot that cannot be read is named by list, with why, and the others are listed', async () => {
    await writeSnapshot(manifest())
    const bad = join(workspace, 'snapshots', 'bad')
    await mkdir(bad, { mode: 0o700 })
    await writeFile(join(bad, 'snapshot.json'), JSON.stringify({ ...manifest(), name: 'bad', created: '\u001b[2J' }), {
      mode: 0o600,
    })
    const list = await runCli(['snapshot', 'list'], top, { XCLUSTER_WORKSPACE: workspace, XCLUSTER_TMP: stateDir })
    expect(list.stdout).toMatch(/^s1 {2}2026-12-07T01:00:00.000Z {2}0 MiB {2}vm-001$/m)
    expect(list.stderr).toContain(
      `bad: cannot be read: ${bad}/snapshot.json is not a snapshot xcluster wrote: created:`,
    )
    expect(list.stdout + list.stderr).not.toContain('\u001b')
    await rm(bad, { recursive: true })
  })
})
