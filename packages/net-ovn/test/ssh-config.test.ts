import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { chmod } from 'node:fs/promises'
import { join } from 'node:path'
import { localHost } from '@xcluster/core'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { checkHostsReachable } from '../src/hosts.js'

afterAll(removeTempDirs)

describe('the ssh config that reaches machines is one nobody else can write', () => {
  test("another user's config (whose ProxyCommand ssh would run) is refused before ssh runs", async () => {
    await OtherUser.during('sshc', async (other) => {
      const dir = await tempDir('ssh-config')
      await chmod(dir, 0o1777)
      const config = join(dir, 'ssh_config')
      const mark = join(dir, 'MARK')
      const text = `Host *\n  ProxyCommand touch ${mark}\n`
      expect((await other.run('sh', ['-c', 'printf "%s" "$2" > "$1"', 'sh', config, text])).exitCode).toBe(0)
      const machine = { name: 'm2', via: 'ssh://root@10.99.0.2' }
      await expect(checkHostsReachable(localHost(), [machine], config)).rejects.toThrow(
        `refusing the ssh config (option sshConfig of net-ovn): ${config} is owned by uid ${other.uid}`,
      )
      expect(existsSync(mark)).toBe(false)
    })
  })
})
