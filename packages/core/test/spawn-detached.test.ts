import { afterAll, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { localHost } from '../src/host/host.js'
import { processExists } from '../src/vm/end-process.js'

afterAll(removeTempDirs)

describe('a service a plugin starts with host.spawnDetached', () => {
  test('reads /dev/null as stdin (end of file at once) and appends its output to the log', async () => {
    const log = join(await tempDir('detached'), 'service.log')
    const pid = localHost().spawnDetached('readlink', ['/proc/self/fd/0'], log)
    while (processExists(pid)) await sleep(20)
    expect(await readFile(log, 'utf8')).toBe('/dev/null\n')
  })
})
