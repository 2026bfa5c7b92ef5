import { describe, expect, test } from '@jest/globals'
import { ProgramMissing, findProgram } from '../src/index.js'
import { run } from '../src/run.js'

describe('the programs an image build runs', () => {
  test("are found where Debian puts them, though a user's PATH leaves /usr/sbin out", () => {
    expect(findProgram('depmod', '/usr/bin:/bin')).toBe('/usr/sbin/depmod')
    expect(findProgram('mke2fs', '/usr/bin:/bin')).toBe('/usr/sbin/mke2fs')
    expect(findProgram('qemu-img', '/usr/bin:/bin')).toBe('/usr/bin/qemu-img')
  })

  test('one that is on no path is said to be missing, by name, not as a failed download', async () => {
    expect(findProgram('xcluster-no-such-program', '/usr/bin:/bin')).toBeUndefined()
    const missing = run('xcluster-no-such-program', ['--version'])
    await expect(missing).rejects.toBeInstanceOf(ProgramMissing)
    await expect(missing).rejects.toThrow(
      'xcluster-no-such-program is not installed (looked on PATH and in /usr/local/sbin, /usr/sbin, /sbin)',
    )
  })
})
