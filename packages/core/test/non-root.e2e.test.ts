import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { chown, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OtherUser } from '@xcluster/test-support/other-user'
import { TEST_ACCEL, TestNetns, XCLUSTER_BIN, removeTestFiles } from '@xcluster/test-support/netns'

// A user who is not root, as Debian makes one: builds the image in their own workspace and runs a user-space cluster.
const BOOT = 240_000

let user: OtherUser
let ns: TestNetns
let home: string

/** The environment of a login of that user: Debian's PATH for users (no /usr/sbin), their home and workspace. */
const login = () => [
  'env',
  '-i',
  `HOME=${home}`,
  `USER=${user.name}`,
  'PATH=/usr/local/bin:/usr/bin:/bin',
  `XCLUSTER_WORKSPACE=${join(home, 'workspace')}`,
  `XCLUSTER_TMP=${join(home, 'state')}`,
  `XCLUSTER_ACCEL=${TEST_ACCEL}`,
]
const asUser = () => [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', ...login()]
/** xcluster as the user in the main namespace (the image build reaches Debian's mirror there; nothing changes). */
const xcHere = (...args: string[]) =>
  execa('setpriv', [...asUser(), XCLUSTER_BIN, ...args], { cwd: join(home, 'project'), reject: false })
/** xcluster as the user in the test's namespace, entered by root, then run as the user. */
const xc = (...args: string[]) =>
  ns.enter('setpriv', [...asUser(), XCLUSTER_BIN, ...args], { cwd: join(home, 'project') })

beforeAll(async () => {
  user = await OtherUser.create('nr')
  ns = await TestNetns.create('nonroot')
  home = await mkdtemp(join(tmpdir(), 'xcluster-nonroot-'))
  await mkdir(join(home, 'project'))
  await writeFile(join(home, 'project', 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, testers: 0 }))
  for (const path of [home, join(home, 'project'), join(home, 'project', 'xcluster.config.json')])
    await chown(path, user.uid, user.gid)
}, BOOT)

afterAll(async () => {
  await xc('stop')
  await execa('ip', ['netns', 'del', ns.name])
  await user?.remove()
  await removeTestFiles(home)
}, BOOT)

describe('a user who is not root', () => {
  test(
    "builds the image with a PATH without /usr/sbin, and the guest's files are root's: ssh into the VM works",
    async () => {
      const image = await xcHere('image')
      expect([image.exitCode, image.stderr]).toEqual([0, expect.stringContaining('image: ready in')])
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('up: vm-001')])
      const id = await xc('rsh', '1', 'id -u; stat -c %u /root/.ssh/authorized_keys /bin/busybox')
      expect([id.exitCode, id.stdout.split('\n')]).toEqual([0, ['0', '0', '0']])
    },
    BOOT,
  )
})
