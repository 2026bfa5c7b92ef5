import { describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { OtherUser } from '@xcluster/test-support/other-user'
import { XCLUSTER_BIN } from '@xcluster/test-support/netns'

describe("what changes the machine's network needs root, and says so in one line", () => {
  test('nsadd, nsdel, nsenter and br-setup as a user: the command to run as root, nothing made', async () => {
    await OtherUser.during('nsroot', async (user) => {
      const env = ['env', '-i', 'HOME=/nonexistent', `USER=${user.name}`, 'PATH=/usr/local/bin:/usr/bin:/bin']
      for (const command of [
        ['nsadd', '7'],
        ['nsdel', '7'],
        ['nsenter', '7'],
        ['br-setup', '7'],
      ]) {
        const run = await user.run(env[0], [...env.slice(1), XCLUSTER_BIN, ...command], { cwd: '/' })
        expect([run.exitCode, run.stderr]).toEqual([
          1,
          `xcluster ${command[0]}: ${command[0]} needs root: it changes the machine's network namespaces, links and` +
            ` firewall; run \`sudo xcluster ${command.join(' ')}\` (or the same as root)`,
        ])
      }
      const { stdout } = await execa('ip', ['netns', 'list'])
      expect(stdout).not.toContain(`${user.name}_xcluster7`)
    })
  })
})
