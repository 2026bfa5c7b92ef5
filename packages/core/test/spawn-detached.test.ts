import { afterAll, afterEach, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { localHost } from '../src/host/host.js'
import { endProcess, processExists } from '../src/vm/end-process.js'

const PATH = process.env.PATH
afterEach(() => {
  process.env.PATH = PATH
})
afterAll(removeTempDirs)

describe('the programs a plugin runs through the host', () => {
  test('a service from spawnDetached reads /dev/null as stdin (end of file at once), output in the log', async () => {
    const log = join(await tempDir('detached'), 'service.log')
    const pid = await localHost().spawnDetached('readlink', ['/proc/self/fd/0'], log)
    while (processExists(pid)) await sleep(20)
    expect(await readFile(log, 'utf8')).toBe('/dev/null\n')
  })

  test("with a user's PATH (no /usr/sbin), the administrator's programs are still found", async () => {
    process.env.PATH = '/usr/local/bin:/usr/bin:/bin'
    expect(await localHost().run('sysctl', ['-n', 'kernel.ostype'])).toBe('Linux')
  })

  test('a program on PATH runs by its name: its argv[0] is what a later check of the process looks for', async () => {
    const pid = await localHost().spawnDetached('sleep', ['30'], join(await tempDir('argv0'), 'log'))
    try {
      expect((await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0]).toBe('sleep')
    } finally {
      await endProcess(pid, 0)
    }
  })
})
