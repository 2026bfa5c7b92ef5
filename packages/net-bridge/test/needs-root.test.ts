import { describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { OtherUser } from '@xcluster/test-support/other-user'
import { XCLUSTER_BIN } from '@xcluster/test-support/netns'

describe("what changes the machine's network needs root, and says so in one line", () => {
  test('nsadd, nsdel, br-setup as a user: the command to run as root; nsenter: the nsadd that root runs', async () => {
    await OtherUser.during('nsroot', async (user) => {
      const env = ['env', '-i', 'HOME=/nonexistent', `USER=${user.name}`, 'PATH=/usr/local/bin:/usr/bin:/bin']
      const run = (...command: string[]) => user.run(env[0], [...env.slice(1), XCLUSTER_BIN, ...command], { cwd: '/' })
      const needsRoot = (command: string, words: string) =>
        `xcluster ${command}: ${command} needs root: it changes the machine's network namespaces, links and firewall;` +
        ` run \`sudo xcluster ${words}\` (or the same as root)`
      for (const [command, words] of [
        [['nsadd', '7'], `nsadd --user=${user.name} 7`],
        [['nsdel', '7'], 'nsdel 7'],
        [['br-setup', '7'], 'br-setup 7'],
      ]) {
        const result = await run(...command)
        expect([result.exitCode, result.stderr]).toEqual([1, needsRoot(command[0], words as string)])
      }
      const enter = await run('nsenter', '7')
      expect([enter.exitCode, enter.stderr]).toEqual([
        1,
        `xcluster nsenter: there is no netns ${user.name}_xcluster7 made for you: root makes it, once, with` +
          ` \`xcluster nsadd 7 --user=${user.name}\`; then \`xcluster nsenter 7\` needs no root`,
      ])
      const { stdout } = await execa('ip', ['netns', 'list'])
      expect(stdout).not.toContain(`${user.name}_xcluster7`)
    })
  })
})
