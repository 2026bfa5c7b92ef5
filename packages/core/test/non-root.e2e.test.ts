import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { OtherUser } from '@xcluster/test-support/other-user'
import { TestNetns } from '@xcluster/test-support/netns'
import { UserProject } from '@xcluster/test-support/user-project'

// A user who is not root, as Debian makes one, with xcluster installed in a project of their own from the packed
// tarballs: builds the image in their own workspace and runs a user-space cluster (in a test netns with only lo).
const BOOT = 400_000

let user: OtherUser
let ns: TestNetns
let project: UserProject
/** The user's xcluster in the test's namespace (entered by root, then run as the user). */
const xc = (...args: string[]) => project.run(UserProject.XCLUSTER, args, { netns: ns.name })

beforeAll(async () => {
  user = await OtherUser.create('nr')
  ns = await TestNetns.create('nonroot')
  project = await UserProject.create(user, ['@xcluster/cli', '@xcluster/core'], { nodes: 2, routers: 0, testers: 0 })
}, BOOT)

afterAll(async () => {
  await xc('stop')
  await execa('ip', ['netns', 'del', ns.name])
  await project?.remove()
  await user?.remove()
}, BOOT)

describe('a user who is not root, on user-space networking', () => {
  test(
    "builds the image with a PATH without /usr/sbin, the guest's files are root's; rsh, rcp, DNS and stop work",
    async () => {
      const image = await project.xcluster('image')
      expect([image.exitCode, image.stderr]).toEqual([0, expect.stringContaining('image: ready in')])
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([
        0,
        expect.stringMatching(/up: vm-001[\s\S]*up: vm-002|up: vm-002[\s\S]*up: vm-001/),
      ])
      const id = await xc('rsh', '1', 'id -u; stat -c %u /root/.ssh/authorized_keys /bin/busybox')
      expect([id.exitCode, id.stdout.split('\n')]).toEqual([0, ['0', '0', '0']])
      expect((await xc('rsh', '1', 'nslookup vm-002.xcluster')).stdout).toContain('Address: 192.168.0.2')
      const copy = join(project.dir, 'hostname-2')
      expect((await xc('rcp', '2', '/proc/sys/kernel/hostname', copy)).exitCode).toBe(0)
      expect(await readFile(copy, 'utf8')).toBe('vm-002\n')
      expect((await xc('stop')).exitCode).toBe(0)
      expect(await qemuPidsOf(`/tmp/xcluster-${user.name}/${ns.name}`)).toEqual([])
    },
    BOOT,
  )
})
